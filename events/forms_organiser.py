"""Forms of the organisers' ticket and check-in list pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import CheckinListKind, TicketType
from .selectors_organiser import TICKET_STATES
from .services.organiser import CREATABLE_LIST_KINDS, ISSUABLE_TYPES, issued_phone_normalise
from .services.tickets import Attendee

ISSUABLE_CHOICES = [(t.value, t.label) for t in ISSUABLE_TYPES]
CSV_MAX_BYTES = 1024 * 1024


class IssuedTicketForm(forms.Form):
    type = forms.ChoiceField(label=_("Ticket type"), choices=ISSUABLE_CHOICES)
    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_(
            "A Vietnamese mobile number, or a foreign one with + and the country code; "
            "one ticket per number."
        ),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("Optional: we send the ticket there.")
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    def clean_phone(self) -> str:
        return issued_phone_normalise(self.cleaned_data["phone"])

    def attendee(self) -> Attendee:
        data = self.cleaned_data
        return Attendee(
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            organisation_name=data["organisation_name"],
        )


class IssuedTicketCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, phone, email, organisation, type (press, speaker or VIP). "
            "Email, organisation and type may be left empty."
        ),
    )
    default_type = forms.ChoiceField(
        label=_("Type for rows without one"),
        choices=[("", "—")] + ISSUABLE_CHOICES,
        required=False,
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."), code="too_large")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Save the file as UTF-8."), code="encoding") from exc


class TicketFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Ticket type"), choices=[("", _("All types"))] + ISSUABLE_CHOICES, required=False
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), ("active", _("Valid")), ("revoked", _("Revoked"))],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"type": "", "state": ""}
        state = self.cleaned_data["state"]
        return {
            "type": self.cleaned_data["type"],
            "state": state if state in TICKET_STATES else "",
        }


def _allowed_types_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Allowed ticket types"),
        choices=TicketType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("None ticked: every ticket type may pass."),
    )


class CheckinListForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("check-in list", "Name"), max_length=150)
    kind = forms.ChoiceField(
        label=pgettext_lazy("check-in list", "Kind"),
        choices=[(kind.value, kind.label) for kind in CREATABLE_LIST_KINDS],
        initial=CheckinListKind.VIP,
    )
    allowed_types = _allowed_types_field()


class CheckinListEditForm(forms.Form):
    """Name and allowed types of an existing list; its kind and slug do not change."""

    name = forms.CharField(label=pgettext_lazy("check-in list", "Name"), max_length=150)
    allowed_types = _allowed_types_field()

    @classmethod
    def for_list(cls, checkin_list, data=None) -> "CheckinListEditForm":
        return cls(
            data,
            prefix=f"e{checkin_list.pk}",
            initial={"name": checkin_list.name, "allowed_types": checkin_list.allowed_types},
        )


class StaffAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the staff member's account"),
        help_text=_("The person must have signed up on Techmart."),
    )
