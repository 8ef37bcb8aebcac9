import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Language, MembershipRole, Organisation, User
from .provinces import PROVINCE_CHOICES
from .validators import logo_validators

VIETNAMESE_PHONE = re.compile(r"^(?:\+?84|0)(?:3|5|7|8|9)\d{8}$")


def normalise_phone(value: str) -> str:
    """Vietnamese mobile numbers in their national form, 0xxxxxxxxx."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if not digits:
        return ""
    if not VIETNAMESE_PHONE.match(digits):
        raise forms.ValidationError(
            _("Enter a Vietnamese mobile number, such as 0912 345 678."), code="invalid_phone"
        )
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84"):
        digits = "0" + digits[2:]
    return digits


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", "—")] + PROVINCE_CHOICES, required=False
    )

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.phone = self.cleaned_data["phone"]
        user.province = self.cleaned_data["province"]
        language = getattr(request, "LANGUAGE_CODE", Language.VI)
        user.preferred_language = language if language in Language.values else Language.VI
        user.save()


class ProfileForm(forms.ModelForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    class Meta:
        model = User
        fields = ["full_name", "phone", "preferred_language", "province"]

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        validators=logo_validators,
        help_text=_("JPEG, PNG or WebP, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "type", "tax_code", "province", "website", "description", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person"))
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
