"""Certificates: one row per holder and award, its PDF rendered once, verifiable by its code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.enums import CertificateKind
from contests.models import Contest
from people.models import Library, Network
from submissions.models import Entry


def design_path(design, filename: str) -> str:
    return f"certificates/design/{design.contest_id}/{filename}"


class CertificateDesign(models.Model):
    """What a contest's certificates say besides the holder and the award, and how they look."""

    contest = models.OneToOneField(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="certificate_design"
    )
    participation = models.BooleanField(
        _("participation certificates"), default=True, help_text=_("One for every entrant with a valid entry.")
    )
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=100, default="Hà Nội")
    # Stored downscaled (at most ~200 KB, JPEG): every page embeds them.
    logo = models.FileField(_("organizer's logo"), upload_to=design_path, blank=True)
    background = models.FileField(_("background image"), upload_to=design_path, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")

    def __str__(self):
        return str(self.contest)


class CertificateJob(models.Model):
    """One run of bulk generation: which contest, who asked, how many certificates it covers."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="certificate_jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(_("certificates"))
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate job")
        verbose_name_plural = _("certificate jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.contest} #{self.pk}"


class Certificate(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    # What it certifies, once per contest: "award:12", "entrant:34", "judge:56", "collective:7".
    subject = models.CharField(_("subject"), max_length=40, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    library = models.ForeignKey(
        Library, verbose_name=_("library"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the page says, fixed when it is issued (a later change of name does not rewrite it).
    holder_name = models.CharField(_("holder's name"), max_length=200)
    award = models.CharField(_("award"), max_length=300)
    library_name = models.CharField(_("library's name"), max_length=200, blank=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True, editable=False)
    file = models.FileField(_("PDF"), blank=True, max_length=200)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["contest", "kind", "holder_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "subject"], name="certificate_once_per_holder_and_award"),
        ]
        indexes = [
            models.Index(fields=["contest", "rendered_at"], name="certificate_rendering"),
            models.Index(fields=["library", "contest"], name="certificate_library"),
        ]

    def __str__(self):
        return f"{self.holder_name} — {self.award}"
