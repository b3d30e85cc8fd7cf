from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    PRIZE = "prize", _("Prize tier")
    SPECIAL = "special", _("Special prize")


class CollectiveBasis(models.TextChoices):
    MOST_ENTRANTS = "most_entrants", _("Most entrants")
    MOST_WINNERS = "most_winners", _("Most winners")
    PARTICIPATION = "participation", _("Highest participation")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    LIBRARY = "library", _("Library")
    NETWORK = "network", _("Network")


class LeaderboardOrder(models.TextChoices):
    RANK = "rank", _("Rank (points)")
    ENTRANTS = "entrants", _("Most entrants")
    WINNERS = "winners", _("Most winners")
    PARTICIPATION = "participation", _("Highest participation")
    AVERAGE_SCORE = "average_score", _("Highest average score")
