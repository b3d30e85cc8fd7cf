from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.enums import AdvanceRule, Aggregation, ContestStatus, EntryFormat, FileType, RoundStatus, VideoHost
from people.models import Network


def all_formats():
    return sorted(f.value for f in EntryFormat)


def all_file_types():
    return sorted(t.value for t in FileType)


def all_video_hosts():
    return sorted(h.value for h in VideoHost)


class Contest(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    network = models.ForeignKey(
        Network, verbose_name=_("organizing network"), on_delete=models.PROTECT, related_name="contests"
    )
    code_prefix = models.CharField(
        _("entry code prefix"),
        max_length=8,
        validators=[RegexValidator(r"^[A-Z0-9]{2,8}$", _("2 to 8 capital letters or digits."))],
        help_text=_("Starts every sealed entry code, e.g. DSVH26 in DSVH26-7K3F9Q."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="vi",
        help_text=_("Of its certificates and e-mails."),
    )
    submission_opens_at = models.DateTimeField(_("submissions open at"))
    submission_closes_at = models.DateTimeField(_("submissions close at"))
    status = models.CharField(_("status"), max_length=16, choices=ContestStatus.choices, default=ContestStatus.DRAFT)
    publish_at = models.DateTimeField(
        _("publish results at"),
        null=True,
        blank=True,
        help_text=_("Set through the publish action; empty: not scheduled."),
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True, editable=False)
    # Judges' comments are shown to the entrants (never the judges' names) once the results are
    # out and the organizers have chosen to release them: feedback is what entrants ask for most.
    comments_released = models.BooleanField(
        _("judges' comments released to entrants"),
        default=False,
        help_text=_("Entrants read the judges' comments on their entries (without names) once results are out."),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-submission_opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission_closes_at__gt=models.F("submission_opens_at")),
                name="contest_window_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title


class Category(models.Model):
    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)
    formats = models.JSONField(_("allowed formats"), default=all_formats)
    max_words = models.PositiveIntegerField(_("maximum words"), default=5000, validators=[MinValueValidator(1)])
    allowed_file_types = models.JSONField(_("allowed file types"), default=all_file_types)
    max_file_mb = models.PositiveIntegerField(
        _("maximum file size (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    allowed_video_hosts = models.JSONField(_("allowed video hosts"), default=all_video_hosts)
    max_entries_per_entrant = models.PositiveIntegerField(
        _("entries per entrant"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["contest", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="category_name_unique_per_contest")]

    def __str__(self):
        return self.name

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


class Round(models.Model):
    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=3, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.WEIGHTED_MEAN
    )
    advance = models.CharField(_("who advances"), max_length=24, choices=AdvanceRule.choices, default=AdvanceRule.NONE)
    advance_value = models.DecimalField(
        _("N or threshold"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    max_spread = models.DecimalField(
        _("largest accepted disagreement"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Entries whose judges' totals lie further apart than this are flagged; empty: never."),
    )
    normalize_min_marks = models.PositiveSmallIntegerField(
        _("fewest marks to normalize a judge"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text=_(
            "Under the z-score and the judge-effects model, a judge with fewer submitted marks than this, "
            "or who gave every entry the same total, is not rescaled: their totals count as given."
        ),
    )
    # Drawn at the round's first assignment and kept: every later run mixes the judges the same way.
    assignment_seed = models.BigIntegerField(_("assignment seed"), null=True, blank=True, editable=False)
    # How the judges are linked through shared entries after the last assignment run
    # (judging.assignment.design_connectivity); empty before the first.
    design = models.JSONField(_("assignment design"), default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.SCORING)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the judges are asked to have scored by: what the judges' home and the public page say.
    due_at = models.DateTimeField(_("scoring due by"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["contest", "order"]
        constraints = [models.UniqueConstraint(fields=["contest", "order"], name="round_order_unique_per_contest")]

    def __str__(self):
        return f"{self.contest} — {self.name}"

    def clean(self):
        # With 2 or 3 judges, dropping the highest and the lowest total leaves one or none: the
        # trimmed mean would silently be the plain mean.
        if self.aggregation == Aggregation.TRIMMED_MEAN and self.judges_per_entry < 4:
            raise ValidationError(
                {
                    "aggregation": _(
                        "A trimmed mean needs at least 4 judges per entry: with fewer it drops nothing and is the "
                        "plain mean. Choose the mean or the median, or more judges."
                    )
                }
            )


class Criterion(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "id"]

    def __str__(self):
        return self.name


class PrizeTier(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="prize_tiers"
    )
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank (1 = highest)"), validators=[MinValueValidator(1)])
    quota = models.PositiveIntegerField(_("quota"), validators=[MinValueValidator(1)])
    points = models.PositiveIntegerField(
        _("leaderboard points"), default=0, help_text=_("What one prize of this tier adds to a library's points.")
    )

    class Meta:
        verbose_name = _("prize tier")
        verbose_name_plural = _("prize tiers")
        ordering = ["contest", "rank"]
        constraints = [models.UniqueConstraint(fields=["contest", "rank"], name="prize_tier_rank_unique_per_contest")]

    def __str__(self):
        return self.name
