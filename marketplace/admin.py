from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError

from . import services
from .models import (
    Deal,
    Expert,
    ExpertContact,
    Inquiry,
    Intermediary,
    Message,
    Offer,
    OfferAttachment,
    OfferImage,
    Request,
)


class OfferImageInline(admin.TabularInline):
    model = OfferImage
    extra = 0
    fields = ["image", "position"]


class OfferAttachmentInline(admin.TabularInline):
    model = OfferAttachment
    extra = 0


class ListingAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "external_id", "organisation", "sector", "province", "status"]
    list_filter = ["status", "sector", "province", "language"]
    search_fields = ["title", "external_id", "organisation__name", "search_document"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "contact_person", "reviewed_by"]
    readonly_fields = ["status", "published_at", "expires_at", "submitted_at", "reviewed_by"]
    actions = ["approve"]

    def save_model(self, request, obj, form, change):
        # The admin edits fields directly; keep the folded search columns in step.
        services.listing_refresh_search(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Approve the selected listings waiting for review"))
    def approve(self, request, queryset):
        approved = 0
        for listing in queryset:
            try:
                services.listing_publish(listing=listing, moderator=request.user)
                approved += 1
            except ApplicationError as error:
                self.message_user(request, f"{listing}: {error.message}", messages.WARNING)
        self.message_user(request, _("%(count)d approved.") % {"count": approved})


@admin.register(Offer)
class OfferAdmin(ListingAdmin):
    inlines = [OfferImageInline, OfferAttachmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is OfferImage:
            for image in formset.queryset.filter(thumbnail=""):
                services.offer_image_thumbnail(image=image)
                image.save(update_fields=["thumbnail"])


@admin.register(Request)
class RequestAdmin(ListingAdmin):
    pass


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    readonly_fields = ["author", "author_organisation", "body", "created_at"]
    can_delete = False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "created_at", "last_message_at"]
    list_filter = ["state", "sector"]
    list_select_related = ["offer", "request", "initiator_organisation"]
    readonly_fields = [
        "offer",
        "request",
        "listing_organisation",
        "initiator_organisation",
        "initiator",
        "sector",
        "province",
        "owner_revealed",
    ]
    inlines = [MessageInline]


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "type", "value_vnd", "signed_on", "confirmed_at"]
    list_filter = ["type", "sector", "province"]
    raw_id_fields = ["inquiry", "recorded_by", "confirmed_by", "recorded_by_organisation"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "province", "is_active"]
    list_filter = ["is_active", "province"]
    search_fields = ["name", "expertise"]
    raw_id_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        services.expert_refresh_search(obj)
        super().save_model(request, obj, form, change)


@admin.register(ExpertContact)
class ExpertContactAdmin(admin.ModelAdmin):
    list_display = ["expert", "sender_name", "sender_email", "created_at"]
    readonly_fields = ["expert", "sender", "sender_name", "sender_email", "body"]


@admin.register(Intermediary)
class IntermediaryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["organisation"]
