from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contests.models import Round
from contests.serializers import CriterionSerializer
from core.serializers import CharField, ModelSerializer, PrimaryKeyRelatedField
from judging.enums import AssignmentState
from judging.hooks import judge_notes
from judging.models import Anchor, Assignment, Judge, Score
from judging.permissions import round_takes_scores
from judging.selectors import round_being_judged
from people.models import User
from submissions.models import Entry


class AssignmentDesignSerializer(serializers.Serializer):
    """How the round's judges are linked through the entries they share (judging.assignment)."""

    judges = serializers.IntegerField()
    components = serializers.IntegerField(
        help_text=_("Groups of judges linked through shared entries; 1: every judge can be compared to every other.")
    )
    largest_component = serializers.IntegerField(help_text=_("Judges in the largest such group."))
    fewest_co_judges = serializers.IntegerField(
        help_text=_("The fewest other judges any one judge shares an entry with.")
    )
    smallest_overlap = serializers.IntegerField(
        help_text=_("The fewest entries two judges of the panel share (0 once some pair never meets).")
    )


class RoundDetailSerializer(ModelSerializer):
    """A round as its judges and organizers see it: the form the marks follow."""

    criteria = CriterionSerializer(many=True, read_only=True)
    contest_title = serializers.CharField(source="contest.title", read_only=True)
    scale = serializers.SerializerMethodField(help_text=_("The highest total a judge can give: sum of weight x max."))
    design = serializers.SerializerMethodField(help_text=_("The last assignment run's design; null before the first."))

    class Meta:
        model = Round
        fields = [
            "id",
            "contest",
            "contest_title",
            "name",
            "order",
            "judges_per_entry",
            "aggregation",
            "advance",
            "advance_value",
            "max_spread",
            "normalize_min_marks",
            "assignment_seed",
            "design",
            "status",
            "closed_at",
            "due_at",
            "scale",
            "criteria",
        ]
        read_only_fields = fields

    def get_scale(self, judging_round) -> Decimal:
        return sum((c.weight * c.max_score for c in judging_round.criteria.all()), Decimal(0))

    @extend_schema_field(AssignmentDesignSerializer(allow_null=True))
    def get_design(self, judging_round):
        return judging_round.design or None


class JudgeSerializer(ModelSerializer):
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Judge
        fields = ["user", "full_name", "username", "weight", "added_at"]
        read_only_fields = ["added_at"]


class JudgeAddSerializer(serializers.Serializer):
    """The new judge by id (`user`) or by `username`, whichever the client knows: exactly one."""

    user = PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text=_("The judge's user id; or give username instead.")
    )
    username = CharField(
        max_length=150,
        required=False,
        help_text=_("The judge's username (any case), instead of user: organizers know judges by it."),
    )
    weight = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=Decimal("0.1"), max_value=Decimal(10), default=Decimal(1)
    )

    def validate_username(self, value: str) -> User:
        # Usernames are unique whatever their case (people.User's constraint).
        user = User.objects.filter(username__iexact=value.strip()).first()
        if user is None:
            raise serializers.ValidationError(_("No account has this username."))
        return user

    def validate(self, attrs):
        if "user" in attrs and "username" in attrs:
            raise serializers.ValidationError({"username": [_("Give the user or the username, not both.")]})
        if "username" in attrs:
            attrs["user"] = attrs.pop("username")
        elif "user" not in attrs:
            raise serializers.ValidationError({"username": [_("Give the judge's username.")]})
        return attrs


class AnchorSerializer(ModelSerializer):
    code = serializers.CharField(source="entry.code", read_only=True)
    title = serializers.CharField(source="entry.title", read_only=True)
    category = serializers.IntegerField(source="entry.category_id", read_only=True)
    category_name = serializers.CharField(source="entry.category.name", read_only=True)

    class Meta:
        model = Anchor
        fields = ["entry", "code", "title", "category", "category_name", "added_at"]
        read_only_fields = fields


class AnchorAddSerializer(serializers.Serializer):
    entry = PrimaryKeyRelatedField(queryset=Entry.objects.all(), help_text=_("The entry every judge will mark."))


class AssignmentReportSerializer(serializers.Serializer):
    entries = serializers.IntegerField()
    judges = serializers.IntegerField()
    added = serializers.IntegerField()
    moved = serializers.IntegerField()
    removed = serializers.IntegerField(help_text=_("Unscored assignments of entries no longer in the contest."))
    assignments = serializers.IntegerField()
    lightest_load = serializers.IntegerField()
    heaviest_load = serializers.IntegerField()
    short = serializers.ListField(
        child=serializers.DictField(), help_text=_("Entries that could not get enough judges: entry, code, missing.")
    )
    held = serializers.IntegerField(
        help_text=_("Entries held back from judging until the organizers decide on them (possible copies).")
    )
    anchored = serializers.IntegerField(help_text=_("Anchor assignments added, on top of the judges' loads."))
    design = AssignmentDesignSerializer()


class MarksField(serializers.DictField):
    # Any number here: its range and quarter points are the service's (marks_clean), whose message
    # names the criterion under "marks"; DRF's digit checks would nest theirs under the criterion.
    child = serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False)


class ScoreSerializer(ModelSerializer):
    marks = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Score
        fields = ["marks", "total", "comment", "submitted", "submitted_at", "updated_at"]
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer):
    marks = MarksField(help_text=_("{criterion id: mark}, each 0..the criterion's max_score in quarter points."))
    comment = CharField(max_length=5000, required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False, help_text=_("false: a draft; true: every criterion is marked."))


class RecusalSerializer(serializers.Serializer):
    reason = CharField(max_length=2000)


class BlindEntrySerializer(ModelSerializer):
    """An entry as a judge sees it: its content, never who wrote it or their library."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    attachment = serializers.SerializerMethodField()
    video_url = serializers.CharField(read_only=True, help_text=_("An https link, or empty."))

    class Meta:
        model = Entry
        fields = [
            "code",
            "category",
            "category_name",
            "title",
            "book_title",
            "book_author",
            "book_publisher",
            "book_year",
            "book_isbn",
            "body",
            "word_count",
            "attachment",
            "attachment_type",
            "video_url",
        ]
        read_only_fields = fields

    def get_attachment(self, entry) -> str | None:
        # The file's own name may carry the entrant's; the download is named by the code.
        assignment = self.context["assignment"]
        return reverse("assignment-attachment", kwargs={"pk": assignment.pk}) if entry.attachment else None


class BlindEntryBriefSerializer(BlindEntrySerializer):
    class Meta(BlindEntrySerializer.Meta):
        fields = ["code", "category", "category_name", "title", "book_title", "book_author", "word_count"]


def _state(assignment) -> str:
    score = getattr(assignment, "score", None)
    if score is None:
        return AssignmentState.PENDING
    return AssignmentState.SUBMITTED if score.submitted else AssignmentState.DRAFT


class AssignmentSerializer(ModelSerializer):
    """A judge's assignment, blind: the entry's content and the judge's own marks only."""

    entry = serializers.SerializerMethodField()
    round_name = serializers.CharField(source="round.name", read_only=True)
    contest_title = serializers.CharField(source="round.contest.title", read_only=True)
    state = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField(
        help_text=_("The round is being judged now (scoring, in a contest in judging): what the queue opens on.")
    )
    notes = serializers.SerializerMethodField(
        help_text=_("What the organizers chose to tell the entry's judges (a possible copy, say); mostly empty.")
    )
    entry_serializer = BlindEntrySerializer

    class Meta:
        model = Assignment
        fields = [
            "id",
            "round",
            "round_name",
            "contest_title",
            "entry",
            "state",
            "score",
            "editable",
            "current",
            "notes",
        ]
        read_only_fields = fields

    @extend_schema_field(BlindEntrySerializer)
    def get_entry(self, assignment):
        return self.entry_serializer(assignment.entry, context={"assignment": assignment}).data

    def get_state(self, assignment) -> AssignmentState:
        return _state(assignment)

    @extend_schema_field(ScoreSerializer(allow_null=True))
    def get_score(self, assignment):
        score = getattr(assignment, "score", None)
        return ScoreSerializer(score).data if score is not None else None

    def get_editable(self, assignment) -> bool:
        return round_takes_scores(assignment.round)

    def get_current(self, assignment) -> bool:
        return round_being_judged(assignment.round)

    def get_notes(self, assignment) -> list[str]:
        return judge_notes(assignment.entry)


class AssignmentBriefSerializer(AssignmentSerializer):
    entry_serializer = BlindEntryBriefSerializer
    notes = None  # a queue's rows carry no notes: the assignment's page does

    class Meta(AssignmentSerializer.Meta):
        fields = [name for name in AssignmentSerializer.Meta.fields if name != "notes"]
        read_only_fields = fields

    @extend_schema_field(BlindEntryBriefSerializer)
    def get_entry(self, assignment):
        return super().get_entry(assignment)


class CountsSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class JudgeProgressSerializer(CountsSerializer):
    user = serializers.IntegerField()
    full_name = serializers.CharField()
    on_panel = serializers.BooleanField()
    drafts = serializers.IntegerField()


class CategoryProgressSerializer(CountsSerializer):
    category = serializers.IntegerField()
    name = serializers.CharField()


class ProgressSerializer(CountsSerializer):
    judges = JudgeProgressSerializer(many=True)
    categories = CategoryProgressSerializer(many=True)


class DisagreementSerializer(ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    spread = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        read_only=True,
        help_text=_(
            "Highest minus lowest mark, on the scale of the round's aggregation (the marks on the common scale "
            "under the z-score and the judge-effects model), as at closing."
        ),
    )
    judges = serializers.IntegerField(read_only=True)
    totals = serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4),
        read_only=True,
        help_text=_("The judges' submitted totals, highest first."),
    )

    class Meta:
        model = Entry
        fields = ["id", "code", "category", "category_name", "title", "spread", "judges", "totals"]
        read_only_fields = fields


class JudgeCalibrationSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    full_name = serializers.CharField()
    on_panel = serializers.BooleanField()
    marks = serializers.IntegerField(help_text=_("Submitted marks in this round."))
    anchors = serializers.IntegerField(help_text=_("Of them, marks on the round's anchor entries."))
    shared = serializers.IntegerField(help_text=_("Of them, marks on entries another judge marked too."))
    mean = serializers.FloatField(allow_null=True, help_text=_("The mean of their totals."))
    spread = serializers.FloatField(allow_null=True, help_text=_("The population standard deviation of their totals."))
    severity = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Mean of (their total - the other judges' mean) over shared entries: negative is harsher than the "
            "panel, positive more lenient."
        ),
    )
    agreement = serializers.FloatField(
        allow_null=True,
        help_text=_("Correlation of their totals with the other judges' means on shared entries (3 or more)."),
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=["few_marks", "no_spread"]),
        help_text=_("few_marks, no_spread: a normalizing method keeps this judge's totals as given."),
    )


class CalibrationSerializer(serializers.Serializer):
    marks = serializers.IntegerField()
    panel_mean = serializers.FloatField(allow_null=True)
    panel_spread = serializers.FloatField(allow_null=True)
    normalize_min_marks = serializers.IntegerField()
    judges = JudgeCalibrationSerializer(many=True)


class ExtraJudgeSerializer(serializers.Serializer):
    entry = PrimaryKeyRelatedField(queryset=Entry.objects.all())


class CloseSerializer(serializers.Serializer):
    force = serializers.BooleanField(
        default=False, help_text=_("Close although some assignments are not submitted; they are left out.")
    )


class CloseReportSerializer(serializers.Serializer):
    ranked = serializers.IntegerField()
    advanced = serializers.IntegerField()
    flagged = serializers.IntegerField()
    left_out = serializers.ListField(child=serializers.DictField())
    unscored_entries = serializers.ListField(child=serializers.CharField())
    kept_raw = serializers.ListField(
        child=serializers.DictField(),
        help_text=_(
            "Judges a normalizing method could not rescale (judge, marks, reason: few_marks or no_spread): "
            "their totals counted as given."
        ),
    )
