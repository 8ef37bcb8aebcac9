from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationType
from accounts.provinces import PROVINCE_CHOICES
from accounts.validators import ImageFormatValidator, MaxFileSizeValidator

from .models import Deal, ExpertContact, Offer, Request
from .selectors import SORT_NEWEST, SORT_RELEVANCE, ListingFilters
from .taxonomy import (
    ATTACHMENT_MAX_BYTES,
    IMAGE_MAX_BYTES,
    MAX_IMAGES,
    MAX_KEYWORDS,
    DealType,
    InquiryState,
    Sector,
    TransferType,
)
from .validators import PdfMagicValidator

ANY = [("", _("Any"))]


class BootstrapMixin:
    """Bootstrap's classes on every widget, so templates can render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the field's validators."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ListingFilterForm(BootstrapMixin, forms.Form):
    """The browse filters. A bad value is dropped rather than failing the page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=ANY + Sector.choices, required=False)
    province = forms.ChoiceField(
        label=_("Province"), choices=ANY + PROVINCE_CHOICES, required=False
    )
    transfer_type = forms.ChoiceField(
        label=_("Transfer type"), choices=ANY + TransferType.choices, required=False
    )
    owner_type = forms.ChoiceField(
        label=_("Owner type"), choices=ANY + OrganisationType.choices, required=False
    )
    trl_min = forms.IntegerField(label=_("TRL from"), min_value=1, max_value=9, required=False)
    trl_max = forms.IntegerField(label=_("TRL to"), min_value=1, max_value=9, required=False)
    amount_min = forms.IntegerField(label=_("From (đồng)"), min_value=0, required=False)
    amount_max = forms.IntegerField(label=_("To (đồng)"), min_value=0, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[(SORT_RELEVANCE, _("Relevance")), (SORT_NEWEST, _("Newest"))],
        required=False,
    )

    def __init__(self, *args, kind: str = "offer", **kwargs):
        super().__init__(*args, **kwargs)
        if kind != "offer":
            del self.fields["trl_min"]
            del self.fields["trl_max"]

    def filters(self) -> ListingFilters:
        self.is_valid()
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name in ListingFilters.names()
        }
        return ListingFilters(**data)


class KeywordsField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Separate with commas, at most %(count)d.") % {"count": MAX_KEYWORDS}
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        words = list(dict.fromkeys(w.strip() for w in (value or "").split(",") if w.strip()))
        if len(words) > MAX_KEYWORDS:
            raise ValidationError(
                _("Give at most %(count)d keywords."), params={"count": MAX_KEYWORDS}
            )
        if any(len(word) > 60 for word in words):
            raise ValidationError(_("A keyword has at most 60 characters."))
        return words


class ListingForm(BootstrapMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    keywords = KeywordsField(label=_("Keywords"))
    transfer_types = forms.MultipleChoiceField(
        label=_("Transfer types"),
        choices=TransferType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, user=None, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                memberships__user=user
            ).order_by("name")
        else:
            del self.fields["organisation"]
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 2, "class": "form-control"})

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("organisation", "images", "attachments"):
            data.pop(name, None)
        return data


class OfferForm(ListingForm):
    video_url = forms.URLField(
        label=_("Video link"), required=False, max_length=200, assume_scheme="https"
    )
    images = MultipleFileField(
        label=_("Images"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB each, up to 8 images."),
        validators=[MaxFileSizeValidator(IMAGE_MAX_BYTES), ImageFormatValidator()],
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    attachments = MultipleFileField(
        label=_("PDF documents"),
        help_text=_("At most 10 MB each."),
        validators=[MaxFileSizeValidator(ATTACHMENT_MAX_BYTES), PdfMagicValidator()],
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Offer
        fields = [
            "organisation",
            "language",
            "title",
            "summary",
            "description",
            "sector",
            "keywords",
            "province",
            "trl",
            "ip_status",
            "ip_certificate_number",
            "transfer_types",
            "price_vnd",
            "video_url",
        ]

    def clean_images(self):
        images = self.cleaned_data.get("images") or []
        existing = self.instance.images.count() if self.instance.pk else 0
        if existing + len(images) > MAX_IMAGES:
            raise ValidationError(
                _("An offer can have at most %(count)d images."), params={"count": MAX_IMAGES}
            )
        return images


class RequestForm(ListingForm):
    description = forms.CharField(
        label=_("The problem, in your own words"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("With or without diacritics: say what you need solved."),
    )
    wanted_by = forms.DateField(
        label=_("Wanted by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Request
        fields = [
            "organisation",
            "language",
            "title",
            "summary",
            "description",
            "sector",
            "keywords",
            "province",
            "transfer_types",
            "budget_vnd",
            "wanted_by",
            "is_anonymous",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer_types"].label = _("Wanted transfer types")


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the owner"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InquiryForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user=None, exclude_organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(memberships__user=user)
            .exclude(pk=exclude_organisation_id)
            .order_by("name")
        )


class MessageForm(BootstrapMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InquiryStateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            (InquiryState.NEGOTIATING, InquiryState.NEGOTIATING.label),
            (InquiryState.CLOSED, InquiryState.CLOSED.label),
            (InquiryState.OPEN, InquiryState.OPEN.label),
        ]
    )


class DealForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Deal
        fields = ["type", "value_vnd", "signed_on"]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = DealType.choices
        self.fields["value_vnd"].min_value = 0

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return signed_on


class ExpertContactForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ExpertContact
        fields = ["sender_name", "sender_email", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}


class ExpertFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sector = forms.ChoiceField(label=_("Field"), choices=ANY + Sector.choices, required=False)
    province = forms.ChoiceField(
        label=_("Province"), choices=ANY + PROVINCE_CHOICES, required=False
    )

    def values(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}
