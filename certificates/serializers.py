from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certificates.enums import JobStatus
from certificates.models import Certificate, CertificateDesign, CertificateJob
from certificates.services import code_display
from core.serializers import CharField, ModelSerializer


class CertificateSerializer(ModelSerializer):
    contest_title = serializers.CharField(source="contest.title", read_only=True)
    code = serializers.SerializerMethodField()
    rendered = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField(help_text=_("Where to download it, once rendered."))

    class Meta:
        model = Certificate
        fields = [
            "id",
            "contest",
            "contest_title",
            "kind",
            "holder",
            "holder_name",
            "award",
            "library",
            "library_name",
            "code",
            "issued_at",
            "rendered",
            "pdf",
            "revoked_at",
        ]
        read_only_fields = fields

    def get_code(self, certificate) -> str:
        return code_display(certificate.code)

    def get_rendered(self, certificate) -> bool:
        return certificate.rendered_at is not None

    def get_pdf(self, certificate) -> str | None:
        if certificate.rendered_at is None:
            return None
        return reverse("certificate-pdf", kwargs={"pk": certificate.pk})


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text=_("Issued by this platform and not revoked."))
    code = serializers.CharField()
    holder = serializers.CharField()
    contest = serializers.CharField()
    award = serializers.CharField()
    library = serializers.CharField()
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class RevokeSerializer(serializers.Serializer):
    reason = CharField(max_length=2000)


class JobSerializer(ModelSerializer):
    status = serializers.ChoiceField(choices=JobStatus.choices)
    done = serializers.IntegerField()

    class Meta:
        model = CertificateJob
        fields = ["id", "contest", "status", "done", "total", "created_at"]
        read_only_fields = fields


class DesignSerializer(ModelSerializer):
    logo = serializers.FileField(required=False, write_only=True)
    background = serializers.FileField(required=False, write_only=True)
    has_logo = serializers.SerializerMethodField()
    has_background = serializers.SerializerMethodField()

    class Meta:
        model = CertificateDesign
        fields = [
            "participation",
            "signatory_name",
            "signatory_title",
            "place",
            "logo",
            "background",
            "has_logo",
            "has_background",
        ]

    def get_has_logo(self, design) -> bool:
        return bool(design.logo)

    def get_has_background(self, design) -> bool:
        return bool(design.background)
