from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import normalise_phone
from accounts.provinces import PROVINCE_CHOICES
from marketplace.models import Offer
from marketplace.taxonomy import ListingStatus

from .models import Booth, BoothType, Seminar
from .services.tickets import GROUP_LIMIT, Attendee

PROVINCE_FIELD_CHOICES = [("", "—")] + PROVINCE_CHOICES


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("A Vietnamese mobile number; one ticket per number."),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("Optional: we send the ticket there.")
    )
    organisation_name = forms.CharField(
        label=_("Organisation, co-operative or farm"), max_length=200, required=False
    )
    province = forms.ChoiceField(
        label=_("Province"), choices=PROVINCE_FIELD_CHOICES, required=False
    )
    interests = forms.CharField(
        label=_("Interests"),
        max_length=300,
        required=False,
        help_text=_("Sectors you want to see, e.g. post-harvest machines, aquaculture."),
    )
    share_contact = forms.BooleanField(
        label=_("Share my phone and email with the exhibitors whose booths I visit"),
        required=False,
    )

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def attendee(self) -> Attendee:
        return Attendee(**self.cleaned_data)


class GroupRegistrationForm(forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_phone = forms.CharField(label=_("Your mobile phone"), max_length=20)
    contact_email = forms.EmailField(label=_("Your email"), required=False)
    organisation_name = forms.CharField(
        label=_("Co-operative, commune or organisation"), max_length=200
    )
    province = forms.ChoiceField(
        label=_("Province"), choices=PROVINCE_FIELD_CHOICES, required=False
    )
    members = forms.CharField(
        label=_("People in the group"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One person per line: full name, mobile phone (at most 50 people)."),
    )

    def clean_contact_phone(self) -> str:
        return normalise_phone(self.cleaned_data["contact_phone"])

    def clean_members(self) -> list[tuple[str, str]]:
        people = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, phone = line.partition(",")
            if not name.strip():
                raise forms.ValidationError(
                    _("Line %(line)d has no name.") % {"line": number}, code="no_name"
                )
            try:
                phone = normalise_phone(phone)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(line)d: %(error)s") % {"line": number, "error": exc.messages[0]},
                    code="invalid_phone",
                ) from exc
            people.append((name.strip(), phone))
        if not people:
            raise forms.ValidationError(_("Add at least one person."), code="empty")
        if len(people) > GROUP_LIMIT:
            raise forms.ValidationError(
                _("A group registration takes at most %(limit)d people.") % {"limit": GROUP_LIMIT},
                code="too_many",
            )
        return people

    def attendees(self) -> list[Attendee]:
        data = self.cleaned_data
        return [
            Attendee(
                name=name,
                phone=phone,
                organisation_name=data["organisation_name"],
                province=data["province"],
            )
            for name, phone in data["members"]
        ]


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    booth_type = forms.ChoiceField(
        label=_("Wanted booth type"), choices=[("", "—")] + BoothType.choices, required=False
    )
    wanted_booths = forms.ModelMultipleChoiceField(
        label=_("Wanted booths"), queryset=Booth.objects.none(), required=False
    )
    offers = forms.ModelMultipleChoiceField(
        label=_("Your technology offers on the exchange that you will show"),
        queryset=Offer.objects.none(),
        required=False,
    )
    technologies = forms.CharField(
        label=_("Technologies and products you will show"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    needs = forms.CharField(
        label=_("Needs (electricity, water, space for machines…)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, organisations, booths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["wanted_booths"].queryset = booths
        self.fields["offers"].queryset = Offer.objects.filter(
            organisation__in=organisations, status=ListingStatus.PUBLISHED
        ).order_by("title")


class DecisionForm(forms.Form):
    DECISIONS = [
        ("approve", _("Approve")),
        ("waitlist", _("Put on the waiting list")),
        ("reject", _("Reject")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    booth = forms.ModelChoiceField(
        label=_("Assign booth"), queryset=Booth.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)

    def __init__(self, *args, free_booths=None, **kwargs):
        super().__init__(*args, **kwargs)
        if free_booths is not None:
            self.fields["booth"].queryset = free_booths


class BoothCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: code, zone, type, area_m2, price, electricity, table, chairs, x, y, width, "
            "height."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 1 MB."), code="too_large")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Save the file as UTF-8."), code="encoding") from exc


class BoothForm(forms.ModelForm):
    zone_name = forms.CharField(label=_("Zone"), max_length=100, required=False)

    class Meta:
        model = Booth
        fields = [
            "code",
            "type",
            "area_m2",
            "price",
            "has_electricity",
            "has_table",
            "chairs",
            "x",
            "y",
            "width",
            "height",
        ]


class StaffForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    email = forms.EmailField(label=_("Email"), required=False)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])


class SeminarForm(forms.ModelForm):
    class Meta:
        model = Seminar
        fields = ["title", "room", "starts_at", "ends_at", "speakers", "capacity", "description"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
