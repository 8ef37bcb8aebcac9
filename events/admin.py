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
    Meeting,
    MeetingBlock,
    MeetingLocation,
    MeetingParticipant,
    MeetingProgramme,
    MeetingSlot,
    ParticipantUnavailability,
    Payment,
    RegistrationGroup,
    Seminar,
    SeminarRegistration,
    SlotOccupancy,
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


# --- B2B meetings ---------------------------------------------------------------------------
# Who meets whom, when and at which table changes only through events.services.meetings: those
# services lock both participants, keep SlotOccupancy rows, meetings_count and the table
# assignment in step and tell both parties. The organiser's meetings page is where the
# programme, blocks and tables are set up. Here those fields are read-only; the admin is for
# looking things up and correcting wording.


@admin.register(MeetingProgramme)
class MeetingProgrammeAdmin(admin.ModelAdmin):
    """Settings are changed on the organiser's meetings page (programme_save copies the limit
    onto every participant, programme_publish emails everyone), so nothing is editable here."""

    list_display = ["edition", "acceptance_mode", "who_may_request", "is_open", "is_published"]
    list_filter = ["is_open", "is_published"]
    list_select_related = ["edition"]
    readonly_fields = [
        "edition",
        "max_meetings_per_participant",
        "request_expiry_minutes",
        "acceptance_mode",
        "who_may_request",
        "is_open",
        "is_published",
        "published_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingBlock)
class MeetingBlockAdmin(ReadOnlyAdmin):
    """Blocks are cut into slots by block_add; add and remove them on the organiser's page."""

    list_display = ["__str__", "programme", "slot_minutes", "break_minutes"]
    list_filter = ["programme__edition", "day"]
    list_select_related = ["programme__edition"]


@admin.register(MeetingSlot)
class MeetingSlotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "edition", "block"]
    list_filter = ["edition"]
    list_select_related = ["edition", "block"]
    date_hierarchy = "starts_at"


@admin.register(MeetingLocation)
class MeetingLocationAdmin(admin.ModelAdmin):
    """Tables are numbered by tables_set and booths added by booths_as_locations; a location's
    kind, number, booth and exhibitor are fixed because meetings are assigned to it. Its name and
    staff (who mark its meetings held or no-show) can be changed here or on the organiser's
    meetings page."""

    list_display = ["__str__", "edition", "kind", "number", "organisation", "is_active"]
    list_filter = ["edition", "kind", "is_active"]
    list_select_related = ["edition", "booth", "organisation"]
    search_fields = ["name", "booth__code", "organisation__name"]
    raw_id_fields = ["staff"]
    readonly_fields = ["edition", "kind", "number", "booth", "organisation", "is_active"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingParticipant)
class MeetingParticipantAdmin(admin.ModelAdmin):
    """The profile wording can be corrected here. Taking part, the meeting limit and the count
    of accepted meetings follow from the services (opting out cancels the person's meetings),
    so they are read-only."""

    list_display = [
        "display_name",
        "organisation_name",
        "edition",
        "type",
        "province",
        "meetings_count",
        "max_meetings",
        "is_active",
    ]
    list_filter = ["edition", "type", "is_active", "province"]
    list_select_related = ["edition"]
    search_fields = ["display_name", "organisation_name", "user__email", "ticket__code"]
    raw_id_fields = ["offers", "requests"]
    readonly_fields = [
        "edition",
        "ticket",
        "user",
        "organisation",
        "type",
        "is_active",
        "max_meetings",
        "meetings_count",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParticipantUnavailability)
class ParticipantUnavailabilityAdmin(ReadOnlyAdmin):
    list_display = ["participant", "slot"]
    list_filter = ["participant__edition"]
    list_select_related = ["participant", "slot"]
    search_fields = ["participant__display_name"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Slot, table, status and the people are read-only: changing them here would skip the
    services' locks, leave SlotOccupancy rows and meeting counts wrong and tell nobody. Accept,
    cancel, schedule and mark attendance through the meeting pages, the API or the organiser's
    page. Only the wording of the message and the decline reason can be corrected here."""

    list_display = [
        "__str__",
        "edition",
        "status",
        "slot",
        "location",
        "created_at",
        "attendance_marked_at",
    ]
    list_filter = ["edition", "status", "any_slot"]
    list_select_related = ["edition", "requester", "recipient", "slot", "location__booth"]
    search_fields = [
        "requester__display_name",
        "requester__organisation_name",
        "recipient__display_name",
        "recipient__organisation_name",
    ]
    show_full_result_count = False
    readonly_fields = [
        "edition",
        "requester",
        "recipient",
        "slot",
        "any_slot",
        "location",
        "status",
        "proposed_slot",
        "expires_at",
        "created_at",
        "answered_at",
        "cancelled_by",
        "attendance_marked_by",
        "attendance_marked_at",
        "requester_follow_up",
        "recipient_follow_up",
        "inquiry",
        "reminder_sent_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SlotOccupancy)
class SlotOccupancyAdmin(ReadOnlyAdmin):
    """Kept by the services alongside each meeting; the constraint against double booking."""

    list_display = ["participant", "slot", "meeting"]
    list_filter = ["participant__edition"]
    list_select_related = ["participant", "slot", "meeting__requester", "meeting__recipient"]
    show_full_result_count = False
