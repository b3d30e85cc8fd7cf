from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from privacy.enums import ConsentMethod, ErasureCause, ErasureStatus, Relation
from submissions.models import Entry


def scan_path(consent, filename: str) -> str:
    from pathlib import PurePath
    from uuid import uuid4

    return f"consents/{consent.child_id}/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class GuardianConsent(models.Model):
    """A parent's or guardian's consent to a child's data being processed (Decree 13/2023/ND-CP,
    Art. 20): asked online (valid once the guardian confirms from the e-mailed link) or given on
    paper (valid once library staff have checked the scan). The exact text agreed is kept."""

    child = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("child"), on_delete=models.CASCADE, related_name="guardian_consents"
    )
    method = models.CharField(_("how it was given"), max_length=8, choices=ConsentMethod.choices)
    guardian_name = models.CharField(_("guardian's name"), max_length=150)
    relation = models.CharField(_("relation to the child"), max_length=16, choices=Relation.choices)
    guardian_email = models.EmailField(_("guardian's e-mail"), blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    text = models.TextField(_("text agreed to"))
    # The separate consent to publishing the child's name, and its own text, when given.
    publish = models.BooleanField(_("agreed to publishing the name"), default=False)
    publish_text = models.TextField(_("text agreed to for publishing"), blank=True)
    scan = models.FileField(_("scan of the signed form"), upload_to=scan_path, blank=True, max_length=200)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked at"))
    mail_sent_at = models.DateTimeField(_("link sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("given at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian's consent")
        verbose_name_plural = _("guardians' consents")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["child", "confirmed_at"], name="consent_child_given")]

    def __str__(self):
        return f"{self.child_id}: {self.guardian_name}"


class RetentionPolicy(models.Model):
    """How long a contest keeps its entrants' personal data after publication. A contest
    without one keeps the platform's defaults (settings.PRIVACY_KEEP_*_DAYS)."""

    contest = models.OneToOneField(Contest, primary_key=True, on_delete=models.CASCADE, related_name="retention_policy")
    winners_days = models.PositiveIntegerField(_("days winners' data is kept"))
    others_days = models.PositiveIntegerField(_("days other entrants' data is kept"))

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return str(self.contest_id)


class ErasedEntry(models.Model):
    """An entry whose personal content was removed (kept: its code, library, category, scores
    and prizes): once past its time, or at its entrant's request."""

    entry = models.OneToOneField(Entry, primary_key=True, on_delete=models.CASCADE, related_name="erasure")
    cause = models.CharField(_("cause"), max_length=16, choices=ErasureCause.choices)
    erased_at = models.DateTimeField(_("erased at"))

    class Meta:
        verbose_name = _("erased entry")
        verbose_name_plural = _("erased entries")

    def __str__(self):
        return str(self.entry_id)


class ErasureRequest(models.Model):
    """A person (or their guardian, signed in as them) asks for their data to be deleted; an
    organizer carries it out. Published prizes are kept (see privacy.erasure)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person's library when asked: who handles it (its network's organizers), after the
    # person's account is gone.
    library = models.ForeignKey(
        "people.Library", verbose_name=_("library"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ErasureStatus.choices, default=ErasureStatus.PENDING)
    requested_at = models.DateTimeField(_("asked at"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    report = models.JSONField(_("what was done"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="pending"), name="erasure_request_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.person_id}: {self.status}"
