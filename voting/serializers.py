from rest_framework import serializers

from contests.models import Category, Round
from contests.serializers import contest_time
from core.serializers import CharField, ModelSerializer, PrimaryKeyRelatedField
from voting.models import Ballot, PublicVote, VoteEntry
from voting.selectors import public_vote_state

SETTINGS = [
    "title",
    "description",
    "opens_at",
    "closes_at",
    "libraries_only",
    "counts_while_open",
    "prize_name",
    "prize_quota",
    "burst_votes",
    "burst_minutes",
    "new_account_days",
    "new_account_ratio",
    "library_ratio",
    "address_votes",
    "flag_min_votes",
]


class PublicVoteInputSerializer(ModelSerializer):
    opens_at = contest_time()
    closes_at = contest_time()

    class Meta:
        model = PublicVote
        fields = SETTINGS


class MyBallotSerializer(serializers.ModelSerializer):
    entry = serializers.IntegerField(source="vote_entry.entry_id")
    voided = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = ["category", "entry", "cast_at", "voided"]

    def get_voided(self, ballot) -> bool:
        return ballot.voided_at is not None


class MeSerializer(serializers.Serializer):
    signed_in = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True, help_text="Why this person may not vote now (a code), or null.")
    refusal_message = serializers.CharField(allow_null=True)
    ballots = MyBallotSerializer(many=True)


class PublicVoteSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    counted = serializers.SerializerMethodField()
    voided = serializers.SerializerMethodField()
    can_manage = serializers.SerializerMethodField()

    class Meta:
        model = PublicVote
        fields = ["id", "contest", *SETTINGS, "state", "categories", "published_at", "counted", "voided", "can_manage"]

    def get_state(self, public_vote) -> str:
        return public_vote_state(public_vote)

    def get_categories(self, public_vote) -> list[dict]:
        ids = {each.category_id for each in self.context.get("vote_entries", [])} or set(
            public_vote.vote_entries.values_list("category_id", flat=True)
        )
        return [{"id": c.pk, "name": c.name} for c in Category.objects.filter(pk__in=ids).order_by("pk")]

    def get_counted(self, public_vote) -> int | None:
        return public_vote.counted if public_vote.published_at else None

    def get_voided(self, public_vote) -> int | None:
        return public_vote.voided if public_vote.published_at else None

    def get_can_manage(self, public_vote) -> bool:
        from voting.permissions import can_manage_public_vote

        return can_manage_public_vote(self.context["request"].user, public_vote)


class GalleryEntrySerializer(serializers.ModelSerializer):
    entry = serializers.IntegerField(source="entry_id")
    title = serializers.CharField(source="entry.title")
    book_title = serializers.CharField(source="entry.book_title")
    book_author = serializers.CharField(source="entry.book_author")
    entrant = serializers.CharField(source="entry.entrant.full_name")
    library = serializers.CharField(source="entry.library.name")
    category = serializers.SerializerMethodField()
    has_video = serializers.SerializerMethodField()
    votes = serializers.SerializerMethodField(help_text="Null while counts are hidden.")
    viewed = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()

    class Meta:
        model = VoteEntry
        fields = [
            "id",
            "entry",
            "title",
            "book_title",
            "book_author",
            "entrant",
            "library",
            "category",
            "has_video",
            "votes",
            "viewed",
            "my_vote",
        ]

    def get_category(self, vote_entry) -> dict:
        return {"id": vote_entry.category_id, "name": vote_entry.category.name}

    def get_has_video(self, vote_entry) -> bool:
        return bool(vote_entry.entry.video_url)

    def get_votes(self, vote_entry) -> int | None:
        return vote_entry.votes if self.context.get("counts") else None

    def get_viewed(self, vote_entry) -> bool:
        return bool(getattr(vote_entry, "viewed", False))

    def get_my_vote(self, vote_entry) -> bool:
        return bool(getattr(vote_entry, "my_vote", False))


class EntryDetailSerializer(GalleryEntrySerializer):
    body = serializers.CharField(source="entry.body")
    video_url = serializers.CharField(source="entry.video_url")

    class Meta(GalleryEntrySerializer.Meta):
        fields = [*GalleryEntrySerializer.Meta.fields, "body", "video_url"]


class EntriesAddSerializer(serializers.Serializer):
    category = PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    round = PrimaryKeyRelatedField(queryset=Round.objects.all(), required=False, allow_null=True)
    entries = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=5000)
    video_only = serializers.BooleanField(default=False)


class AddedSerializer(serializers.Serializer):
    added = serializers.IntegerField()


class BallotInputSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class BallotSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category_id")
    entry = serializers.IntegerField(source="vote_entry.entry_id")
    cast_at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=["cast", "changed", "same"])


class OrganizerBallotSerializer(serializers.ModelSerializer):
    voter = serializers.CharField(source="voter.username")
    library = serializers.CharField(source="library.name", default="")
    entry = serializers.IntegerField(source="vote_entry.entry_id")
    title = serializers.CharField(source="vote_entry.entry.title")

    class Meta:
        model = Ballot
        fields = [
            "id",
            "voter",
            "library",
            "entry",
            "title",
            "address",
            "account_created_at",
            "cast_at",
            "changes",
            "voided_at",
            "void_reason",
        ]


class VoidSerializer(serializers.Serializer):
    ballots = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=5000
    )
    reason = CharField(max_length=1000)


class VoidedSerializer(serializers.Serializer):
    voided = serializers.IntegerField()


class ResultSerializer(GalleryEntrySerializer):
    rank = serializers.IntegerField()
    prize = serializers.BooleanField()

    class Meta(GalleryEntrySerializer.Meta):
        fields = ["id", "entry", "title", "entrant", "library", "category", "votes", "rank", "prize"]


class ResultsSerializer(serializers.Serializer):
    prize_name = serializers.CharField()
    published_at = serializers.DateTimeField()
    counted = serializers.IntegerField()
    voided = serializers.IntegerField()
    results = ResultSerializer(many=True)


class FraudSerializer(serializers.Serializer):
    """The organizers' fraud view (voting.selectors.fraud_report)."""

    thresholds = serializers.DictField()
    counted = serializers.IntegerField()
    voided = serializers.IntegerField()
    entries = serializers.ListField(child=serializers.DictField())
    addresses = serializers.ListField(child=serializers.DictField())
    libraries = serializers.ListField(child=serializers.DictField())
