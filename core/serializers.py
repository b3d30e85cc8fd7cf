"""Serializer bases: text fields take text only.

DRF turns `0` or `true` into "0" / "True" for a text field; our schema says string, and a
number where a name belongs is a client's mistake worth reporting rather than storing.
"""

from django.db import models
from rest_framework import serializers


class TextOnly:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CharField(TextOnly, serializers.CharField):
    pass


class EmailField(TextOnly, serializers.EmailField):
    pass


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id is a whole number: DRF would read 1.5 (or true) as 1."""

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    serializer_related_field = PrimaryKeyRelatedField
    serializer_field_mapping = serializers.ModelSerializer.serializer_field_mapping | {
        models.CharField: CharField,
        models.TextField: CharField,
        models.EmailField: EmailField,
    }
