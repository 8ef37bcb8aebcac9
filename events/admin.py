from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError

from .models import (
    Booth,
    BoothBooking,
    Checkin,
    CheckinList,
    Edition,
    ExhibitorApplication,
    LeadScan,
    Payment,
    RegistrationGroup,
    Seminar,
    SeminarRegistration,
    Ticket,
    WebhookEvent,
    Zone,
)
from .services.tickets import ticket_revoke


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "status", "payment_provider"]
    list_filter = ["status", "payment_provider"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "position"]
    list_filter = ["edition"]


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["code", "edition", "zone", "type", "area_m2", "price"]
    list_filter = ["edition", "type"]
    search_fields = ["code"]


@admin.register(ExhibitorApplication)
class ExhibitorApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "edition", "status", "created_at"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["organisation", "submitted_by", "decided_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and money records change only through services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoothBooking)
class BoothBookingAdmin(ReadOnlyAdmin):
    list_display = ["booth", "application", "status", "price", "held_until"]
    list_filter = ["status", "application__edition"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "booking", "provider", "amount", "state", "paid_at"]
    list_filter = ["provider", "state"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "received_at"]


@admin.action(description=_("Revoke and reissue with a new code"))
def revoke_and_reissue(modeladmin, request, queryset):
    for ticket in queryset.filter(revoked_at=None):
        try:
            ticket_revoke(ticket=ticket, organiser=request.user, reissue=True)
        except ApplicationError as exc:
            modeladmin.message_user(request, exc.message, level="error")
            return


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    actions = [revoke_and_reissue]
    list_display = ["name", "edition", "type", "phone", "organisation_name", "revoked_at"]
    list_filter = ["edition", "type"]
    search_fields = ["name", "phone", "email", "code"]
    raw_id_fields = ["exhibitor", "user", "group", "replaced_by"]
    readonly_fields = ["code", "revoked_at", "replaced_by"]


@admin.register(RegistrationGroup)
class RegistrationGroupAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "edition", "contact_name", "created_at"]


@admin.register(CheckinList)
class CheckinListAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "kind", "is_open"]
    list_filter = ["edition", "kind"]
    filter_horizontal = ["staff"]


@admin.register(Checkin)
class CheckinAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "checkin_list", "raw_code", "type", "result", "gate", "device"]
    list_filter = ["checkin_list__edition", "result", "type"]


@admin.register(LeadScan)
class LeadScanAdmin(ReadOnlyAdmin):
    list_display = ["exhibitor", "ticket", "visits", "last_seen_at"]


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "room", "starts_at", "capacity"]
    list_filter = ["edition"]


@admin.register(SeminarRegistration)
class SeminarRegistrationAdmin(admin.ModelAdmin):
    list_display = ["seminar", "ticket", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["ticket"]
