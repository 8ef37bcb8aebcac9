from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.provinces import PROVINCE_CHOICES
from marketplace.taxonomy import Sector

from .models import AlertFrequency, SavedSearchKind, Verdict


class FeedbackForm(forms.Form):
    offer = forms.IntegerField(min_value=1)
    request = forms.IntegerField(min_value=1)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    score = forms.FloatField(required=False)
    next = forms.CharField(required=False, max_length=500)


class AlertPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Alerts about new matches"), choices=AlertFrequency.choices
    )


class SavedSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Watch"), choices=SavedSearchKind.choices, required=False)
    query = forms.CharField(label=_("Search words"), max_length=200)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Any sector")), *Sector.choices], required=False
    )
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", _("Any province")), *PROVINCE_CHOICES], required=False
    )
