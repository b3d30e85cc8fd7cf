"""Form fields for the admin."""

from django import forms
from django.core.exceptions import ValidationError

from core.parsers import json_too_deep


class JSONField(forms.JSONField):
    """Django's, with JSON nested past the json module's recursion limit (or past what any of
    our fields holds) an invalid value rather than a 500: Django catches JSONDecodeError only."""

    def to_python(self, value):
        try:
            converted = super().to_python(value)
        except RecursionError:
            converted = None
        else:
            if not json_too_deep(converted):
                return converted
        raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)
