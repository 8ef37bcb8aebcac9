from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeListField(models.CharField):
    """A short list of choice codes, stored as ",a,b," so that `field__contains=",a,"` finds the
    rows holding code a with a plain LIKE on both PostgreSQL and SQLite."""

    description = "A list of choice codes"

    def __init__(self, *args, codes=None, **kwargs):
        self.codes = codes
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("codes", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value or []
        return [code for code in str(value).split(",") if code]

    def get_prep_value(self, value):
        if isinstance(value, list | tuple):
            return "," + ",".join(value) + "," if value else ""
        return value

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")
        if self.codes is not None:
            known = {code for code, _label in self.codes}
            unknown = [code for code in value if code not in known]
            if unknown:
                raise ValidationError(
                    _("Unknown value: %(value)s."),
                    code="invalid_choice",
                    params={"value": ", ".join(unknown)},
                )

    def run_validators(self, value):
        # CharField's MaxLengthValidator would measure the list, not the stored text.
        return

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.codes_choices(),
            required=not self.blank,
            label=self.verbose_name,
            widget=forms.CheckboxSelectMultiple,
            **{k: v for k, v in kwargs.items() if k in {"help_text"}},
        )

    def codes_choices(self):
        return list(self.codes or [])
