from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contests.models import Contest
from core.serializers import CharField, ModelSerializer, PrimaryKeyRelatedField
from screening import sketch
from screening.enums import Decision, PairStatus
from screening.models import Pair, Run
from submissions.enums import EntryStatus
from submissions.models import Entry


class ContestBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class PolicySerializer(serializers.Serializer):
    threshold = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal(str(sketch.MIN_THRESHOLD)),
        max_value=Decimal(str(sketch.MAX_THRESHOLD)),
        help_text=_("Jaccard similarity of two entries' shingle sets (5 words) from which a pair is flagged."),
    )
    hold_flagged = serializers.BooleanField(
        help_text=_("Entries in a pair awaiting a decision are not assigned to judges until it is decided.")
    )
    copy_sources = ContestBriefSerializer(many=True, help_text=_("Earlier contests compared with this one."))


class PolicyInputSerializer(serializers.Serializer):
    threshold = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal(str(sketch.MIN_THRESHOLD)),
        max_value=Decimal(str(sketch.MAX_THRESHOLD)),
        required=False,
    )
    hold_flagged = serializers.BooleanField(required=False)
    copy_sources = PrimaryKeyRelatedField(
        queryset=Contest.objects.all(), many=True, required=False, help_text=_("Ids of earlier contests.")
    )


class RunSerializer(ModelSerializer):
    class Meta:
        model = Run
        fields = [
            "id",
            "contest",
            "status",
            "threshold",
            "entries",
            "sources",
            "unreadable",
            "candidates",
            "checked",
            "pairs",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    no_issue = serializers.IntegerField()
    disqualified = serializers.IntegerField()


class ScreeningSerializer(serializers.Serializer):
    policy = PolicySerializer()
    last_run = RunSerializer(allow_null=True)
    pairs = CountsSerializer()


class PairEntrySerializer(ModelSerializer):
    """One side of a pair as its contest's organizers see it: who wrote it is shown only to an
    organizer of the entry's own contest (a copy source may be another network's)."""

    contest_title = serializers.CharField(source="contest.title", read_only=True)
    earlier = serializers.SerializerMethodField(help_text=_("From a copy source, not from the screened contest."))
    entrant_name = serializers.SerializerMethodField()
    library_name = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=EntryStatus.choices, read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "code",
            "contest",
            "contest_title",
            "earlier",
            "title",
            "book_title",
            "book_author",
            "word_count",
            "status",
            "entrant_name",
            "library_name",
        ]
        read_only_fields = fields

    def _managed(self, entry) -> bool:
        return entry.contest_id in self.context["managed_contests"]

    def get_earlier(self, entry) -> bool:
        return entry.contest_id != self.context["pair"].contest_id

    def get_entrant_name(self, entry) -> str | None:
        return entry.entrant.full_name if self._managed(entry) else None

    def get_library_name(self, entry) -> str | None:
        return entry.library.name if self._managed(entry) else None


class SegmentSerializer(serializers.Serializer):
    text = serializers.CharField()
    shared = serializers.BooleanField(help_text=_("A passage the other entry has too."))


class PairEntryTextSerializer(PairEntrySerializer):
    segments = serializers.SerializerMethodField(
        help_text=_("The compared text (essay, then the attachment's text), cut into shared and own passages.")
    )

    class Meta(PairEntrySerializer.Meta):
        fields = [*PairEntrySerializer.Meta.fields, "segments"]
        read_only_fields = fields

    @extend_schema_field(SegmentSerializer(many=True))
    def get_segments(self, entry):
        return [{"text": text, "shared": shared} for text, shared in self.context["segments"][entry.pk]]


class PairSerializer(ModelSerializer):
    entry = serializers.SerializerMethodField()
    other = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=PairStatus.choices, read_only=True)
    decided_by_name = serializers.CharField(
        source="decided_by.full_name", read_only=True, default=None, allow_null=True
    )
    entry_serializer = PairEntrySerializer

    class Meta:
        model = Pair
        fields = [
            "id",
            "contest",
            "similarity",
            "status",
            "entry",
            "other",
            "reason",
            "decided_by_name",
            "decided_at",
            "judges_note",
            "forwarded_at",
            "created_at",
        ]
        read_only_fields = fields

    def _side(self, pair, entry):
        return self.entry_serializer(entry, context={**self.context, "pair": pair}).data

    @extend_schema_field(PairEntrySerializer)
    def get_entry(self, pair):
        return self._side(pair, pair.entry)

    @extend_schema_field(PairEntrySerializer)
    def get_other(self, pair):
        return self._side(pair, pair.other)


class PairDetailSerializer(PairSerializer):
    entry_serializer = PairEntryTextSerializer

    @extend_schema_field(PairEntryTextSerializer)
    def get_entry(self, pair):
        return super().get_entry(pair)

    @extend_schema_field(PairEntryTextSerializer)
    def get_other(self, pair):
        return super().get_other(pair)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    disqualify = PrimaryKeyRelatedField(
        queryset=Entry.objects.all(),
        many=True,
        required=False,
        help_text=_("With decision=disqualify: the pair's entries (of this contest) to disqualify."),
    )
    reason = CharField(
        max_length=2000, help_text=_("Why; kept in the audit log and, on disqualifying, told to the entrant.")
    )


class ForwardSerializer(serializers.Serializer):
    note = CharField(max_length=2000, help_text=_("What the judges of the pair's entries will read."))
