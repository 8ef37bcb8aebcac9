"""Forms of the B2B meeting pages. They parse input only; the rules live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.provinces import PROVINCE_CHOICES
from marketplace.taxonomy import Sector

from .models import (
    MEETING_MESSAGE_MAX_LENGTH,
    MeetingProgramme,
    ParticipantType,
)

LANGUAGE_CHOICES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
    ("zh", "中文"),
    ("ko", "한국어"),
    ("ja", "日本語"),
]


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render fields with {{ field }}."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def slot_label(slot) -> str:
    start = timezone.localtime(slot.starts_at)
    return f"{start:%d/%m %H:%M}–{timezone.localtime(slot.ends_at):%H:%M}"


class ProfileForm(BootstrapMixin, forms.Form):
    offers_text = forms.CharField(
        label=_("What I offer"), max_length=1000, required=False, widget=forms.Textarea({"rows": 3})
    )
    seeks_text = forms.CharField(
        label=_("What I am looking for"),
        max_length=1000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    offer_ids = forms.MultipleChoiceField(
        label=_("My marketplace offers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    request_ids = forms.MultipleChoiceField(
        label=_("My marketplace requests"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offers=(), requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer_ids"].choices = [(str(o.pk), o.title) for o in offers]
        self.fields["request_ids"].choices = [(str(r.pk), r.title) for r in requests]


class RequestForm(BootstrapMixin, forms.Form):
    slot = forms.ChoiceField(label=_("When"))
    message = forms.CharField(
        label=_("Message"),
        max_length=MEETING_MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea({"rows": 3, "maxlength": MEETING_MESSAGE_MAX_LENGTH}),
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("any", _("Any slot we both have free"))] + [
            (str(s.pk), slot_label(s)) for s in slots
        ]


class DeclineForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class ProposeForm(BootstrapMixin, forms.Form):
    slot = forms.ChoiceField(label=_("Propose another slot"))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(str(s.pk), slot_label(s)) for s in slots]


class FilterForm(BootstrapMixin, forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors"))] + list(Sector.choices), required=False
    )
    province = forms.ChoiceField(
        label=_("Province"),
        choices=[("", _("All provinces"))] + list(PROVINCE_CHOICES),
        required=False,
    )
    type = forms.ChoiceField(
        label=_("Participant type"),
        choices=[("", _("Everyone"))] + list(ParticipantType.choices),
        required=False,
    )


class AvailabilityForm(BootstrapMixin, forms.Form):
    unavailable = forms.MultipleChoiceField(
        label=_("Slots when I am not available"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].choices = [(str(s.pk), slot_label(s)) for s in slots]


class ProgrammeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MeetingProgramme
        fields = [
            "max_meetings_per_participant",
            "request_expiry_minutes",
            "acceptance_mode",
            "who_may_request",
            "is_open",
        ]
        widgets = {
            "request_expiry_minutes": forms.NumberInput({"min": 15, "max": 14400}),
        }


class BlockForm(BootstrapMixin, forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput({"type": "date"}))
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput({"type": "time"}))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput({"type": "time"}))
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=10, max_value=60, initial=20
    )
    break_minutes = forms.IntegerField(
        label=_("Break between slots (minutes)"), min_value=0, max_value=60, initial=0
    )


class TablesForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), min_value=0, max_value=500)


class LocationStaffForm(BootstrapMixin, forms.Form):
    location = forms.ModelChoiceField(label=_("Table or booth"), queryset=None)
    email = forms.EmailField(label=_("Staff member's email"))

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
