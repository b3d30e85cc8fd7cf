from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.models import Category, Round
from submissions.models import Entry


class Judge(models.Model):
    """A user on a round's panel."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="judgeships"
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("How much this judge's totals count in a weighted mean (1 = like everybody else)."),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["round", "user_id"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="judge_once_per_round")]

    def __str__(self):
        return f"{self.user} — {self.round}"


class Recusal(models.Model):
    """A judge's declared conflict with an entry: they never judge it, in any round."""

    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="recusals"
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="recusals")
    round = models.ForeignKey(Round, verbose_name=_("declared in round"), on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="recusal_once_per_judge_and_entry")]

    def __str__(self):
        return f"{self.judge} ≠ {self.entry}"


class Anchor(models.Model):
    """An entry every judge of the round marks, on top of their load: common ground on which
    the judges' severity and spread are compared before the round closes."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="anchors")
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("anchor entry")
        verbose_name_plural = _("anchor entries")
        ordering = ["round", "entry_id"]
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="anchor_once_per_round")]

    def __str__(self):
        return f"{self.entry} ⚓ {self.round}"


class Assignment(models.Model):
    # A national round writes 3,000,000 of these in one COPY. A database foreign key would check
    # and lock the entry and the judge row by row, tripling the time; the rows come from ids read
    # in the same transaction under the round's lock, and deletes cascade (or are refused) in
    # Django, so these references stay ORM-level. The indexes a prefix already covers are dropped.
    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assignments",
        db_constraint=False,
        db_index=False,  # the unique (round, entry, judge) leads with it
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="assignments", db_constraint=False
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("judge"),
        on_delete=models.PROTECT,
        related_name="assignments",
        db_constraint=False,
        db_index=False,  # the (judge, round) index leads with it
    )
    is_extra = models.BooleanField(
        _("extra judge"), default=False, help_text=_("Added over the round's number because the judges disagreed.")
    )
    is_anchor = models.BooleanField(
        _("anchor"),
        default=False,
        db_default=False,  # rows written by raw SQL (COPY, benches) need not name it
        help_text=_("Given to every judge because the entry is one of the round's anchors."),
    )
    created_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="assignment_once_per_judge_and_entry")
        ]
        indexes = [models.Index(fields=["judge", "round"])]

    def __str__(self):
        return f"{self.entry} — {self.judge}"


class Score(models.Model):
    """One judge's marks for one entry; the assignment's own row, so that there is never a second."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    # {"<criterion id>": "7.25"}: decimals as strings, exact.
    marks = models.JSONField(_("marks"), default=dict)
    total = models.DecimalField(
        _("total"), max_digits=14, decimal_places=4, default=Decimal(0), help_text=_("Sum of weight x mark.")
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted = models.BooleanField(_("submitted"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self):
        return f"{self.assignment}: {self.total}"


class RoundResult(models.Model):
    """An entry's standing when its round closed. Derived rows, written by one INSERT ... SELECT
    from rows that exist; like assignments, their references are kept by Django, not checked
    row by row by the database (see Assignment)."""

    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,  # the (round, category, rank) index leads with it
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="round_results",
        db_constraint=False,
        db_index=False,  # looked up by round, not by entry
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # read through (round, category, rank)
    )
    score = models.DecimalField(_("score"), max_digits=14, decimal_places=4)
    lowest = models.DecimalField(_("lowest judge's total"), max_digits=14, decimal_places=4)
    spread = models.DecimalField(_("spread of the judges' totals"), max_digits=14, decimal_places=4)
    judges = models.PositiveSmallIntegerField(_("judges counted"))
    rank = models.PositiveIntegerField(_("rank in its category"))
    flagged = models.BooleanField(_("judges disagree"), default=False)
    advanced = models.BooleanField(_("advances"), default=False)

    class Meta:
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        ordering = ["round", "category", "rank", "entry_id"]
        # Two indexes and no more: each is maintained for every one of a million rows at closing,
        # and the rows arrive in (category, rank) order, so this one grows at its end. One result
        # per entry and round holds by construction: a round closes once, under its row lock.
        indexes = [models.Index(fields=["round", "category", "rank"])]

    def __str__(self):
        return f"{self.entry}: {self.score} (#{self.rank})"
