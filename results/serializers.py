from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contests.models import PrizeTier
from core.figures import figure_text
from core.serializers import CharField, ModelSerializer, PrimaryKeyRelatedField
from judging.models import RoundResult
from people.models import Library, Network
from people.serializers import LibraryBriefSerializer
from results.enums import AwardKind, CollectiveBasis, LeaderboardOrder, Unit
from results.models import Award, CollectiveAward, LeaderboardRow
from submissions.serializers import PublicEntrantSerializer


class PrizeBriefSerializer(ModelSerializer):
    """A prize as shown next to an entry: a tier's name, or a special prize's."""

    tier = serializers.IntegerField(source="tier_id", allow_null=True, read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = ["kind", "tier", "name"]
        read_only_fields = fields

    def get_name(self, award) -> str:
        return award.tier.name if award.tier_id else award.name


class RoundResultSerializer(ModelSerializer):
    """An entry's place in a round's ranking (and in the final one, its prizes)."""

    entry = serializers.IntegerField(source="entry_id", read_only=True)
    code = serializers.CharField(source="entry.code", read_only=True)
    title = serializers.CharField(source="entry.title", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    entrant = PublicEntrantSerializer(source="entry", read_only=True)
    library = LibraryBriefSerializer(source="entry.library", read_only=True)
    prize = serializers.SerializerMethodField(help_text=_("The tier prize won (its name), once prizes are awarded."))
    prizes = PrizeBriefSerializer(source="entry.prizes_won", many=True, read_only=True)

    class Meta:
        model = RoundResult
        fields = [
            "entry",
            "code",
            "title",
            "category",
            "category_name",
            "entrant",
            "library",
            "score",
            "rank",
            "judges",
            "lowest",
            "spread",
            "flagged",
            "advanced",
            "prize",
            "prizes",
        ]
        read_only_fields = fields

    def get_prize(self, result) -> str | None:
        tiers = [award.tier.name for award in result.entry.prizes_won if award.kind == AwardKind.PRIZE]
        return tiers[0] if tiers else None


class ContestResultSerializer(RoundResultSerializer):
    """A line of the published result: the final ranking with names, libraries and prizes."""

    rank = serializers.IntegerField(
        source="place",
        read_only=True,
        help_text=_("The place among the entries still in the contest (ties share it): the place prizes go by."),
    )

    class Meta(RoundResultSerializer.Meta):
        fields = ["entry", "code", "title", "category", "category_name", "entrant", "library", "score", "rank"]
        fields += ["prize", "prizes"]
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Empty: publish now. A future time: publish then.")
    )

    def validate_publish_at(self, value):
        # A time already past is most likely a typo; taking it for "now" would e-mail every
        # entrant at once. Publishing now is asked for by leaving the time out.
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("Choose a time in the future, or publish now."))
        return value


class PublicationSerializer(serializers.Serializer):
    status = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    publish_at = serializers.DateTimeField(allow_null=True)


class UnpublishSerializer(serializers.Serializer):
    reason = CharField(max_length=2000)


class TierTallySerializer(serializers.Serializer):
    category = serializers.IntegerField()
    category_name = serializers.CharField()
    tier = serializers.IntegerField()
    tier_name = serializers.CharField()
    quota = serializers.IntegerField()
    awarded = serializers.IntegerField()
    overflow = serializers.IntegerField(help_text=_("Awarded beyond the quota, because of exact ties."))
    overflow_entries = serializers.ListField(child=serializers.CharField())


class AwardReportSerializer(serializers.Serializer):
    awarded = serializers.IntegerField()
    tiers = TierTallySerializer(many=True)


class AwardSerializer(ModelSerializer):
    tier_name = serializers.CharField(source="tier.name", read_only=True, allow_null=True, default=None)
    category_name = serializers.CharField(source="category.name", read_only=True)
    code = serializers.CharField(source="entry.code", read_only=True)
    title = serializers.CharField(source="entry.title", read_only=True)
    entrant = PublicEntrantSerializer(source="entry", read_only=True)
    library = LibraryBriefSerializer(source="entry.library", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "kind",
            "entry",
            "code",
            "title",
            "entrant",
            "library",
            "category",
            "category_name",
            "tier",
            "tier_name",
            "name",
            "rank",
            "overridden",
            "reason",
            "awarded_at",
        ]
        read_only_fields = fields


class AwardOverrideSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1)
    tier = PrimaryKeyRelatedField(
        queryset=PrizeTier.objects.all(), allow_null=True, help_text=_("Empty: no prize for this entry.")
    )
    reason = CharField(max_length=2000)


class SpecialPrizeSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1)
    name = CharField(max_length=200)
    reason = CharField(max_length=2000, required=False, allow_blank=True, default="")


class NetworkBriefSerializer(ModelSerializer):
    class Meta:
        model = Network
        fields = ["id", "name", "short_name"]


class CollectiveAwardSerializer(ModelSerializer):
    library = PrimaryKeyRelatedField(queryset=Library.objects.all(), required=False, allow_null=True)
    network = PrimaryKeyRelatedField(queryset=Network.objects.all(), required=False, allow_null=True)
    unit_name = serializers.SerializerMethodField()
    basis = serializers.ChoiceField(choices=CollectiveBasis.choices, default=CollectiveBasis.OTHER)
    reason = CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        model = CollectiveAward
        fields = ["id", "library", "network", "unit_name", "name", "basis", "reason", "awarded_at"]
        read_only_fields = ["id", "unit_name", "awarded_at"]

    def get_unit_name(self, award) -> str:
        return str(award.library or award.network)


class LeaderboardQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=Unit.choices, default=Unit.LIBRARY)
    category = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)  # a key's range
    order = serializers.ChoiceField(choices=LeaderboardOrder.choices, default=LeaderboardOrder.RANK)


class TierCountSerializer(serializers.Serializer):
    tier = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class LeaderboardRowSerializer(ModelSerializer):
    unit = serializers.SerializerMethodField()
    participation_rate = serializers.DecimalField(
        source="participation",
        max_digits=9,
        decimal_places=4,
        allow_null=True,
        read_only=True,
        help_text=_("Entrants per student of the unit, where its student count is known."),
    )
    prizes = serializers.SerializerMethodField()

    class Meta:
        model = LeaderboardRow
        fields = [
            "rank",
            "unit",
            "entries",
            "entrants",
            "student_count",
            "participation_rate",
            "average_score",
            "prizes",
            "winners",
            "points",
        ]
        read_only_fields = fields

    @extend_schema_field(NetworkBriefSerializer)
    def get_unit(self, row) -> dict:
        return {}  # (for the schema; to_representation writes it)

    @extend_schema_field(TierCountSerializer(many=True))
    def get_prizes(self, row) -> list[dict]:
        return []  # (for the schema; to_representation writes it)

    def to_representation(self, row: dict) -> dict:
        """From the selector's plain values, by hand: every library reads this page often."""
        return {
            "rank": row["rank"],
            "unit": {"id": row["unit_id"], "name": row["unit_name"], "short_name": row["unit_short_name"]},
            "entries": row["entries"],
            "entrants": row["entrants"],
            "student_count": row["student_count"],
            "participation_rate": figure_text(row["participation"]),
            "average_score": figure_text(row["average_score"]),
            "prizes": [
                {"tier": tier.pk, "name": tier.name, "count": row["prizes"].get(str(tier.pk), 0)}
                for tier in self.context["tiers"]
            ],
            "winners": row["winners"],
            "points": row["points"],
        }
