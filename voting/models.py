"""The people's choice: a public vote on entries an organizer picks, kept apart from the jury.

Nothing here is read by judging or results: a ballot never touches a score. A `PublicVote` has
its own window and its own published list; `VoteEntry.votes` is the stored tally, changed only
in the transaction that casts, changes or voids a ballot (voting.services).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.models import Category, Contest
from people.models import Library
from submissions.models import Entry


class PublicVote(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="public_votes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("voting opens at"))
    closes_at = models.DateTimeField(_("voting closes at"))
    libraries_only = models.BooleanField(
        _("only accounts of taking-part libraries"),
        default=False,
        help_text=_("Only accounts of a library with an entry in the contest may vote."),
    )
    counts_while_open = models.BooleanField(
        _("show counts while open"),
        default=False,
        help_text=_("Off: nobody but organizers sees a count before the list is published."),
    )
    prize_name = models.CharField(_("prize"), max_length=120, default="Giải Bình chọn")
    prize_quota = models.PositiveSmallIntegerField(
        _("prizes per category"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # Fraud flags: an organizer's thresholds, none of which blocks a vote (see README).
    burst_votes = models.PositiveIntegerField(
        _("burst: votes"),
        default=30,
        validators=[MinValueValidator(2)],
        help_text=_("An entry getting more votes than this within the burst window is flagged."),
    )
    burst_minutes = models.PositiveIntegerField(
        _("burst: window (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    new_account_days = models.PositiveIntegerField(
        _("new account: age (days)"),
        default=2,
        validators=[MaxValueValidator(365)],
        help_text=_("An account younger than this when it voted counts as new."),
    )
    new_account_ratio = models.DecimalField(
        _("new accounts: highest share"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    library_ratio = models.DecimalField(
        _("one library: highest share"),
        max_digits=3,
        decimal_places=2,
        default=0.8,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    address_votes = models.PositiveIntegerField(
        _("one address: most votes"),
        default=50,
        validators=[MinValueValidator(1)],
        help_text=_("Schools share addresses: past this, an address is flagged, never blocked."),
    )
    flag_min_votes = models.PositiveIntegerField(
        _("fewest votes before share flags"),
        default=10,
        help_text=_("Shares (new accounts, one library) are flagged only on entries with at least this many votes."),
    )
    published_at = models.DateTimeField(_("list published at"), null=True, blank=True, editable=False)
    counted = models.PositiveIntegerField(_("votes counted"), default=0, editable=False)
    voided = models.PositiveIntegerField(_("votes voided"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="public_vote_window"),
        ]

    def __str__(self):
        return self.title


class VoteEntry(models.Model):
    """An entry in the vote, with its stored tally of ballots that count (not voided)."""

    public_vote = models.ForeignKey(
        PublicVote, verbose_name=_("public vote"), on_delete=models.CASCADE, related_name="vote_entries"
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="vote_entries")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True, editable=False)
    prize = models.BooleanField(_("prize"), default=False, editable=False)

    class Meta:
        verbose_name = _("entry in the vote")
        verbose_name_plural = _("entries in the vote")
        ordering = ["public_vote", "category", "id"]
        constraints = [models.UniqueConstraint(fields=["public_vote", "entry"], name="vote_entry_unique")]

    def __str__(self):
        return f"{self.public_vote} — {self.entry}"


class EntryView(models.Model):
    """That an account opened an entry of the vote: a vote counts only for an entry seen."""

    vote_entry = models.ForeignKey(VoteEntry, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entry opened")
        verbose_name_plural = _("entries opened")
        constraints = [models.UniqueConstraint(fields=["vote_entry", "viewer"], name="entry_view_unique")]

    def __str__(self):
        return f"{self.viewer_id} ✓ {self.vote_entry_id}"


class Ballot(models.Model):
    """One account's vote in one category of a public vote; changed in place until it closes."""

    public_vote = models.ForeignKey(
        PublicVote, verbose_name=_("public vote"), on_delete=models.CASCADE, related_name="ballots"
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("voter"), on_delete=models.CASCADE, related_name="ballots"
    )
    vote_entry = models.ForeignKey(VoteEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="ballots")
    # The voter's library when they voted, and their address as an HMAC with the server's
    # secret (voting.services.address_digest): enough to see many votes from one place, and
    # nobody reading the table learns where a student sat.
    library = models.ForeignKey(
        Library, verbose_name=_("library"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("address (keyed hash)"), max_length=16, blank=True, db_index=True)
    account_created_at = models.DateTimeField(_("account created at"))
    cast_at = models.DateTimeField(_("cast at"), db_index=True)
    changes = models.PositiveIntegerField(_("times changed"), default=0)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("reason voided"), blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-cast_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["public_vote", "category", "voter"], name="ballot_one_per_category"),
        ]
        indexes = [models.Index(fields=["vote_entry", "cast_at"])]

    def __str__(self):
        return f"{self.voter_id} → {self.vote_entry_id}"
