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


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = serializers.ModelSerializer.serializer_field_mapping | {
        models.CharField: CharField,
        models.TextField: CharField,
        models.EmailField: EmailField,
    }
