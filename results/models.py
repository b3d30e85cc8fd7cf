"""What a contest's result is made of: the prizes entries won, the collective prizes of
libraries and networks, the precomputed leaderboard, and who has been told."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.models import Category, Contest, PrizeTier
from people.models import Library, Network
from results.enums import AwardKind, CollectiveBasis, Unit
from submissions.models import Entry


class Award(models.Model):
    """A prize an entry won. Tier prizes come from the final round's ranking (or an organizer's
    override, with its reason); special prizes are given by hand. An override that withholds a
    prize keeps its row with no tier, so that the next award run does not give it back."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="awards")
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="awards")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=AwardKind.choices, default=AwardKind.PRIZE)
    tier = models.ForeignKey(
        PrizeTier, verbose_name=_("prize tier"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    name = models.CharField(_("special prize"), max_length=200, blank=True)
    rank = models.PositiveIntegerField(_("rank in the final round"), null=True, blank=True)
    overridden = models.BooleanField(_("set by an organizer"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("awarded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(_("awarded at"), auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["contest", "category", "kind", "tier__rank", "rank", "entry_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(kind=AwardKind.PRIZE), name="award_one_prize_tier_per_entry"
            ),
            models.UniqueConstraint(
                fields=["entry", "name"], condition=Q(kind=AwardKind.SPECIAL), name="award_special_once_per_entry"
            ),
            models.CheckConstraint(
                condition=(Q(kind=AwardKind.PRIZE) & (Q(tier__isnull=False) | Q(overridden=True)))
                | (Q(kind=AwardKind.SPECIAL) & Q(tier__isnull=True) & ~Q(name="")),
                name="award_prize_has_tier_special_has_name",
            ),
        ]
        indexes = [models.Index(fields=["contest", "kind"], name="award_contest_kind")]

    def __str__(self):
        return self.name or str(self.tier or _("no prize"))


class CollectiveAward(models.Model):
    """A prize for a library or a network as a whole (most entrants, most winners, ...)."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="collective_awards"
    )
    library = models.ForeignKey(
        Library, verbose_name=_("library"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("prize"), max_length=200)
    basis = models.CharField(_("basis"), max_length=20, choices=CollectiveBasis.choices, default=CollectiveBasis.OTHER)
    reason = models.TextField(_("reason"), blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("awarded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("collective prize")
        verbose_name_plural = _("collective prizes")
        ordering = ["contest", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(library__isnull=False, network__isnull=True)
                | Q(library__isnull=True, network__isnull=False),
                name="collective_award_one_unit",
            ),
            models.UniqueConstraint(
                fields=["contest", "name", "library"],
                condition=Q(library__isnull=False),
                name="collective_award_once_per_library",
            ),
            models.UniqueConstraint(
                fields=["contest", "name", "network"],
                condition=Q(network__isnull=False),
                name="collective_award_once_per_network",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.library or self.network}"


class LeaderboardRow(models.Model):
    """One library's or network's standing in a contest, in one category or (category empty)
    in all. Precomputed by results.leaderboard.leaderboard_refresh: read often, written on
    round close, award and publication, never aggregated per request."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.CharField(max_length=8, choices=Unit.choices)
    # Read through leaderboard_read only: an index of their own would only tempt the planner
    # (it took a bitmap scan of category IS NULL and a sort over the read index's order).
    library = models.ForeignKey(
        Library, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    network = models.ForeignKey(
        Network, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    category = models.ForeignKey(
        Category, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    entries = models.PositiveIntegerField(default=0)
    entrants = models.PositiveIntegerField(default=0)
    student_count = models.PositiveIntegerField(null=True)
    participation = models.DecimalField(max_digits=9, decimal_places=4, null=True)  # entrants / students
    scored = models.PositiveIntegerField(default=0)  # entries with a first-round score
    score_sum = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    average_score = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    prizes = models.JSONField(default=dict)  # {tier id: count}
    winners = models.PositiveIntegerField(default=0)  # entries with a tier prize
    points = models.PositiveIntegerField(default=0)
    rank = models.PositiveIntegerField()
    # The row's place on the board: by rank, units of equal rank by name. Stored, so that the
    # default read is one walk down an index.
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["contest", "unit", "category", "position"]
        # Two, because PostgreSQL takes an index's order after "category IS NULL" only from an
        # index whose predicate it is: the overall board is read in position order directly.
        indexes = [
            models.Index(
                fields=["contest", "unit", "category", "position"],
                condition=Q(category__isnull=False),
                name="leaderboard_read",
            ),
            models.Index(
                fields=["contest", "unit", "position"],
                condition=Q(category__isnull=True),
                name="leaderboard_read_overall",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", unit] + ([] if category_null else ["category"]),  # NULLs never clash
                condition=Q(**{f"{unit}__isnull": False, "category__isnull": category_null}),
                name=f"leaderboard_{unit}_once_{'overall' if category_null else 'per_category'}",
            )
            for unit in ("library", "network")
            for category_null in (False, True)
        ] + [
            models.CheckConstraint(
                condition=Q(unit=Unit.LIBRARY, library__isnull=False, network__isnull=True)
                | Q(unit=Unit.NETWORK, library__isnull=True, network__isnull=False),
                name="leaderboard_row_one_unit",
            )
        ]

    def __str__(self):
        return f"{self.library_id or self.network_id} #{self.rank}"


class ResultNotice(models.Model):
    """An entrant told that a contest's results are out: once, however often it is published."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    entrant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "entrant"], name="result_notice_once")]

    def __str__(self):
        return f"{self.contest_id}: {self.entrant_id}"


class ResultsVersion(models.Model):
    """What the public reads of a published result are cached by: a new `tag` at every
    publication, unpublication and leaderboard refresh (results.caching). Published results are
    frozen (contests.permissions.results_frozen), so nothing else changes what they show."""

    contest = models.OneToOneField(
        Contest, verbose_name=_("contest"), primary_key=True, on_delete=models.CASCADE, related_name="results_version"
    )
    tag = models.CharField(_("tag"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("results version")
        verbose_name_plural = _("results versions")

    def __str__(self):
        return f"{self.contest_id}: {self.tag}"
