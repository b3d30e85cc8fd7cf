from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from screening import sketch
from screening.enums import ExtractionError, PairStatus, RunStatus
from submissions.models import Entry

THRESHOLD_DEFAULT = Decimal("0.30")


class Policy(models.Model):
    """How a contest is screened. Without a row, the defaults: threshold 0.30, flagged entries
    assigned as usual, the contest's earlier editions (the contests it was copied from) as
    copy sources."""

    contest = models.OneToOneField(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="screening_policy"
    )
    threshold = models.DecimalField(
        _("similarity threshold"),
        max_digits=3,
        decimal_places=2,
        default=THRESHOLD_DEFAULT,
        validators=[
            MinValueValidator(Decimal(str(sketch.MIN_THRESHOLD))),
            MaxValueValidator(Decimal(str(sketch.MAX_THRESHOLD))),
        ],
        help_text=_("Pairs whose shared passages make at least this Jaccard similarity (0.30-0.95) are flagged."),
    )
    hold_flagged = models.BooleanField(
        _("hold flagged entries"),
        default=False,
        help_text=_("Entries in a pair awaiting a decision are not assigned to judges until it is decided."),
    )
    copy_sources = models.ManyToManyField(
        Contest,
        verbose_name=_("copy sources"),
        blank=True,
        related_name="+",
        help_text=_("Earlier contests whose entries this contest's are compared with."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("screening policy")
        verbose_name_plural = _("screening policies")

    def __str__(self):
        return str(self.contest)


class Fingerprint(models.Model):
    """An entry's MinHash fingerprint (screening.sketch), made from its essay text and its
    attachment's text, and the entry's `updated_at` it was made from: a later edit makes it stale."""

    entry = models.OneToOneField(
        Entry, primary_key=True, on_delete=models.CASCADE, related_name="screening_fingerprint"
    )
    signature = models.BinaryField(_("fingerprint"), max_length=sketch.BINS * 2)
    shingles = models.PositiveIntegerField(_("shingles"), help_text=_("0: too little text to compare."))
    attachment_text = models.TextField(_("attachment's text"), blank=True)
    attachment_error = models.CharField(
        _("attachment not read"), max_length=16, choices=ExtractionError.choices, blank=True
    )
    entry_updated_at = models.DateTimeField(_("entry as of"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("fingerprint")
        verbose_name_plural = _("fingerprints")

    def __str__(self):
        return str(self.entry_id)


class Run(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="screening_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    threshold = models.DecimalField(_("similarity threshold"), max_digits=3, decimal_places=2)
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    entries = models.PositiveIntegerField(_("entries screened"), default=0)
    sources = models.PositiveIntegerField(_("earlier entries compared"), default=0)
    unreadable = models.PositiveIntegerField(_("attachments not read"), default=0)
    candidates = models.PositiveIntegerField(_("candidate pairs"), default=0)
    checked = models.PositiveIntegerField(_("pairs checked exactly"), default=0)
    pairs = models.PositiveIntegerField(_("pairs flagged"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.contest} #{self.pk}"


class Pair(models.Model):
    """Two entries whose texts are alike: `entry` belongs to the screened contest, `other` to it
    too (then entry.id < other.id) or to one of its copy sources."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="screening_pairs"
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Entry, verbose_name=_("similar entry"), on_delete=models.CASCADE, related_name="+")
    similarity = models.DecimalField(_("similarity"), max_digits=5, decimal_places=4)
    run = models.ForeignKey(
        Run, verbose_name=_("last found by"), null=True, on_delete=models.SET_NULL, related_name="found"
    )
    status = models.CharField(_("decision"), max_length=16, choices=PairStatus.choices, default=PairStatus.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    judges_note = models.TextField(_("note for the judges"), blank=True)
    forwarded_at = models.DateTimeField(_("sent to the judges at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("similar pair")
        verbose_name_plural = _("similar pairs")
        ordering = ["-similarity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "entry", "other"], name="screening_pair_unique"),
            models.CheckConstraint(condition=~models.Q(entry=models.F("other")), name="screening_pair_two_entries"),
        ]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self):
        return f"{self.entry_id} ~ {self.other_id}"
