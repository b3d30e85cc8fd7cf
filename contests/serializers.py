from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contests.enums import ContestStatus, EntryFormat, FileType, VideoHost
from contests.models import Category, Contest, Criterion, PrizeTier, Round
from contests.selectors import ACTIONS, contest_workflow
from core.serializers import CharField, ModelSerializer, PrimaryKeyRelatedField
from people.models import Network

EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def contest_time_check(value: datetime) -> None:
    # Far-off years are typos; they would also print with historical time zone offsets
    # ("+07:06:30") and overflow when a contest is copied a year on.
    if not EARLIEST <= value < LATEST:
        raise serializers.ValidationError(_("Give a time between the years 2000 and 2099."))


def contest_time(**kwargs):
    return serializers.DateTimeField(validators=[contest_time_check], **kwargs)


def choice_list(choices, *, label: str):
    """A non-empty list of distinct values from `choices`; all of them when left out."""
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices),
        allow_empty=False,
        max_length=len(choices),
        required=False,
        help_text=f"{label}; all when left out",
    )


class CategorySerializer(ModelSerializer):
    formats = choice_list(EntryFormat.choices, label="any of text, file, video")
    allowed_file_types = choice_list(FileType.choices, label="any of pdf, docx, jpeg, png")
    allowed_video_hosts = choice_list(VideoHost.choices, label="any of youtube, facebook, tiktok, google_drive")

    class Meta:
        model = Category
        fields = [
            "id",
            "name",
            "formats",
            "max_words",
            "allowed_file_types",
            "max_file_mb",
            "allowed_video_hosts",
            "max_entries_per_entrant",
        ]

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        for field in ("formats", "allowed_file_types", "allowed_video_hosts"):
            if field in values:
                if len(set(values[field])) != len(values[field]):
                    raise serializers.ValidationError({field: [_("Each value may appear once.")]})
                values[field] = sorted(values[field])
        return values


class CriterionSerializer(ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "weight", "max_score"]


class RoundSerializer(ModelSerializer):
    criteria = CriterionSerializer(many=True, required=False)
    due_at = contest_time(required=False, allow_null=True, label=_("scoring due by"))

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "order",
            "judges_per_entry",
            "aggregation",
            "advance",
            "advance_value",
            "max_spread",
            "normalize_min_marks",
            "status",
            "closed_at",
            "due_at",
            "criteria",
        ]
        read_only_fields = ["status", "closed_at"]

    def validate(self, attrs):
        settings = {key: attrs[key] for key in ("aggregation", "judges_per_entry") if key in attrs}
        Round(**settings).clean()  # the rules the admin's form keeps too
        return attrs


class PrizeTierSerializer(ModelSerializer):
    class Meta:
        model = PrizeTier
        fields = ["id", "name", "rank", "quota", "points"]


class ContestSerializer(ModelSerializer):
    network = PrimaryKeyRelatedField(queryset=Network.objects.all())
    network_name = CharField(source="network.name", read_only=True)
    code_prefix = CharField(
        required=False,
        max_length=8,
        validators=[Contest._meta.get_field("code_prefix").validators[0]],
        help_text=_("2 to 8 capital letters or digits; derived from the title when left out."),
    )
    status = serializers.ChoiceField(
        choices=[ContestStatus.DRAFT, ContestStatus.OPEN], default=ContestStatus.DRAFT, help_text="draft or open"
    )
    submission_opens_at = contest_time()
    submission_closes_at = contest_time()
    categories = CategorySerializer(many=True, required=False)
    rounds = RoundSerializer(many=True, required=False)
    prize_tiers = PrizeTierSerializer(many=True, required=False)

    class Meta:
        model = Contest
        fields = [
            "id",
            "title",
            "description",
            "network",
            "network_name",
            "code_prefix",
            "language",
            "submission_opens_at",
            "submission_closes_at",
            "status",
            "publish_at",
            "published_at",
            "comments_released",
            "copied_from",
            "categories",
            "rounds",
            "prize_tiers",
        ]
        read_only_fields = ["copied_from", "publish_at", "published_at"]

    def validate(self, attrs):
        # Duplicates inside one POST, reported at their place in the list.
        for name, key in (("categories", "name"), ("rounds", "order"), ("prize_tiers", "rank")):
            seen, errors = set(), []
            for item in attrs.get(name, []):
                value = str(item[key]).casefold()
                errors.append({key: [_("Used twice in this contest.")]} if value in seen else {})
                seen.add(value)
            if any(errors):
                raise serializers.ValidationError({name: errors})
        return attrs


class ContestReadSerializer(ContestSerializer):
    status = serializers.ChoiceField(choices=ContestStatus.choices, read_only=True)


class ContestUpdateSerializer(ModelSerializer):
    """PATCH: the contest's own fields; status only forward. Structure has its own endpoints."""

    status = serializers.ChoiceField(choices=ContestStatus.choices, required=False)
    submission_opens_at = contest_time(required=False)
    submission_closes_at = contest_time(required=False)

    class Meta:
        model = Contest
        fields = [
            "title",
            "description",
            "code_prefix",
            "language",
            "submission_opens_at",
            "submission_closes_at",
            "status",
            "comments_released",
        ]


class ContestReopenSerializer(serializers.Serializer):
    reason = CharField(max_length=2000)
    submission_closes_at = contest_time(required=False)


class ContestCopySerializer(serializers.Serializer):
    title = CharField(max_length=200, required=False)
    shift_days = serializers.IntegerField(
        min_value=0, max_value=3650, default=365, help_text=_("Moves the submission window by this many days.")
    )


class WorkflowRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorkflowSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ContestStatus.choices)
    next_step = serializers.ChoiceField(
        choices=[
            "open",
            "wait_entries",
            "add_round",
            "assign",
            "wait_marks",
            "close_round",
            "award",
            "publish",
            "wait_publication",
            "certificates",
            "archive",
            "none",
        ],
        help_text=_("The one next step of the contest's organizers."),
    )
    round = WorkflowRoundSerializer(allow_null=True, help_text=_("The round the next step is about."))
    done = serializers.IntegerField(allow_null=True, help_text=_("Marks submitted in the round being judged."))
    total = serializers.IntegerField(allow_null=True, help_text=_("Marks asked in the round being judged."))
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ACTIONS),
        help_text=_("What the signed-in person may do to the contest at this stage; empty for anyone else."),
    )
    round_stages = serializers.DictField(
        child=serializers.ChoiceField(choices=["not_started", "judging", "closed"]),
        help_text=_("{round id: not_started, judging or closed}: a round not yet assigned is not being judged."),
    )


class ContestDetailSerializer(ContestReadSerializer):
    """One contest, with where it stands for its organizers (contests.selectors.contest_workflow)."""

    workflow = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(help_text=_("The same as workflow.allowed_actions."))

    class Meta(ContestReadSerializer.Meta):
        fields = [*ContestReadSerializer.Meta.fields, "workflow", "allowed_actions"]

    def _workflow(self, contest):
        if not hasattr(contest, "_workflow"):
            contest._workflow = contest_workflow(user=self.context["request"].user, contest=contest)
        return contest._workflow

    @extend_schema_field(WorkflowSerializer)
    def get_workflow(self, contest):
        return WorkflowSerializer(self._workflow(contest)).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS)))
    def get_allowed_actions(self, contest) -> list[str]:
        return self._workflow(contest).allowed_actions
