from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import CharField, EmailField, ModelSerializer, PrimaryKeyRelatedField
from people.models import User
from privacy.enums import Relation
from privacy.models import ErasureRequest, GuardianConsent


def _birth_date_check(value):
    if value is not None and not (date(1900, 1, 1) <= value <= timezone.localdate()):
        raise serializers.ValidationError(_("Enter the date of birth as it is on the student's papers."))
    return value


class _GuardianInputSerializer(serializers.Serializer):
    guardian_name = CharField(max_length=150)
    relation = serializers.ChoiceField(choices=Relation.choices)
    guardian_phone = CharField(max_length=20, required=False, default="", allow_blank=True)
    birth_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("The child's, when not on record yet.")
    )

    def validate_birth_date(self, value):
        return _birth_date_check(value)


class GuardianConsentRequestSerializer(_GuardianInputSerializer):
    child = PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text=_("Left out: the one who asks (a student).")
    )
    guardian_email = EmailField(max_length=254, help_text=_("The confirmation link goes there."))


class GuardianConsentPaperSerializer(_GuardianInputSerializer):
    child = PrimaryKeyRelatedField(queryset=User.objects.all())
    scan = serializers.FileField(help_text=_("The signed form: PDF, JPEG or PNG, 10 MB at most."))
    publish = serializers.BooleanField(default=False, help_text=_("The form's separate box for publishing the name."))


class GuardianConsentSerializer(ModelSerializer):
    status = serializers.SerializerMethodField()
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = GuardianConsent
        fields = [
            "id",
            "child",
            "method",
            "status",
            "guardian_name",
            "relation",
            "guardian_email",
            "guardian_phone",
            "text",
            "publish",
            "publish_text",
            "has_scan",
            "checked_by",
            "requested_at",
            "mail_sent_at",
            "confirmed_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_status(self, consent) -> str:
        if consent.withdrawn_at:
            return "withdrawn"
        return "given" if consent.confirmed_at else "pending"

    def get_has_scan(self, consent) -> bool:
        return bool(consent.scan)


class WaitingEntrySerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    code = serializers.CharField()
    contest = serializers.IntegerField()
    contest_title = serializers.CharField()
    reason = serializers.CharField()


class PrivacyStatusSerializer(serializers.Serializer):
    birth_date = serializers.DateField(allow_null=True)
    minor = serializers.BooleanField(help_text=_("Under the age at which a guardian's consent is needed."))
    guardian_consent = serializers.BooleanField(help_text=_("A guardian's consent is on record, not withdrawn."))
    publish_consent = serializers.BooleanField(help_text=_("The name may appear in public."))
    waiting = WaitingEntrySerializer(many=True, help_text=_("Entries held back from judging, and why."))


class StrictBooleanField(serializers.BooleanField):
    """true or false, as JSON has them: not "yes", 1 or "on" (the schema says boolean)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class PublishConsentSerializer(serializers.Serializer):
    agree = StrictBooleanField()


class ConsentWaitingSerializer(serializers.Serializer):
    library = serializers.IntegerField()
    library_name = serializers.CharField()
    waiting = serializers.IntegerField()


class RetentionSerializer(serializers.Serializer):
    winners_days = serializers.IntegerField(help_text=_("Days winners' personal data is kept after publication."))
    others_days = serializers.IntegerField(help_text=_("Days other entrants' personal data is kept after publication."))
    winners_until = serializers.DateTimeField(allow_null=True, help_text=_("Empty until the results are published."))
    others_until = serializers.DateTimeField(allow_null=True, help_text=_("Empty until the results are published."))


class RetentionInputSerializer(serializers.Serializer):
    winners_days = serializers.IntegerField(min_value=0, max_value=3650)
    others_days = serializers.IntegerField(min_value=0, max_value=3650)


class ErasureAskSerializer(serializers.Serializer):
    reason = CharField(max_length=2000, required=False, default="", allow_blank=True)


class KeptPrizeSerializer(serializers.Serializer):
    entry = serializers.CharField()
    contest = serializers.CharField()
    prize = serializers.CharField()
    until = serializers.DateTimeField()
    why = serializers.CharField()


class ErasureRequestSerializer(ModelSerializer):
    person_name = serializers.SerializerMethodField()
    library_name = serializers.CharField(source="library.name", read_only=True, default=None, allow_null=True)
    kept = serializers.SerializerMethodField(help_text=_("What must be kept, and until when: published prizes."))

    class Meta:
        model = ErasureRequest
        fields = [
            "id",
            "person",
            "person_name",
            "library",
            "library_name",
            "reason",
            "status",
            "requested_at",
            "handled_by",
            "handled_at",
            "report",
            "kept",
        ]
        read_only_fields = fields

    def get_person_name(self, request) -> str:
        return request.person.full_name if request.person_id else ""

    @extend_schema_field(KeptPrizeSerializer(many=True))
    def get_kept(self, request) -> list:
        """From the context's "kept" (person id -> prizes, read for a whole page at once)."""
        if request.person_id is None or request.status != "pending":
            return []
        if "kept" in self.context:
            kept = self.context["kept"].get(request.person_id, [])
        else:
            from privacy.requests import kept_prizes

            kept = kept_prizes(request.person)
        return KeptPrizeSerializer(kept, many=True).data
