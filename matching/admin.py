from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from marketplace.services.common import enqueue

from . import tasks
from .models import Feedback, LexiconEntry, Notification, SavedSearch, SentAlert


@admin.register(LexiconEntry)
class LexiconEntryAdmin(admin.ModelAdmin):
    """Moderators keep the domain lexicon: every change re-indexes the published listings, since
    concepts are found when a listing is indexed."""

    list_display = ["terms", "solutions", "kind", "sector", "weight", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["terms", "solutions"]
    list_editable = ["is_active"]
    fields = ["kind", "sector", "terms", "solutions", "weight", "is_active"]

    def _reindex(self, request) -> None:
        enqueue(tasks.listings_reindex_task)
        messages.info(request, _("Listings are being re-indexed with the new lexicon."))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._reindex(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._reindex(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._reindex(request)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["offer", "request", "organisation", "verdict", "score", "updated_at"]
    list_filter = ["verdict"]
    list_select_related = ["offer", "request", "organisation"]
    raw_id_fields = ["offer", "request", "organisation", "user"]


@admin.register(SentAlert)
class SentAlertAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "offer",
        "subject_request",
        "request",
        "saved_search",
        "frequency",
        "score",
        "sent_at",
    ]
    list_filter = ["frequency"]
    list_select_related = ["user", "offer", "subject_request", "request", "saved_search"]
    raw_id_fields = ["user", "offer", "subject_request", "request", "saved_search"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "kind", "user", "sector", "province", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    raw_id_fields = ["user"]
