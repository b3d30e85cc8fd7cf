from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from people.enums import Role

TASK_KINDS = [
    ("judge_pending", _("Entries waiting for your marks in a round being judged")),
    ("student_open", _("A contest open for entries you have not entered")),
    ("student_sent", _("Your entries in a contest still open")),
    ("student_in_judging", _("Your entries in a contest being judged")),
    ("student_results", _("Your entries in a contest whose results are out")),
    ("library_entries", _("Your libraries' entries in a contest open for entries")),
    ("organize_draft", _("A contest of yours still a draft")),
    ("organize_open", _("A contest of yours open for entries")),
    ("organize_closed", _("A contest of yours closed, judging not started")),
    ("organize_judging", _("A contest of yours in judging")),
]


class TaskSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TASK_KINDS)
    role = serializers.ChoiceField(choices=Role.choices)
    count = serializers.IntegerField(
        help_text=_(
            "Entries: waiting for your marks (judge_pending), sent (student_*, library_entries), "
            "submitted (organize_*; in judging: marks still missing in the current round)."
        )
    )
    done = serializers.IntegerField(allow_null=True, help_text=_("organize_judging: marks submitted in the round."))
    total = serializers.IntegerField(allow_null=True, help_text=_("organize_judging: marks asked in the round."))
    contest = serializers.IntegerField()
    contest_title = serializers.CharField()
    round = serializers.IntegerField(allow_null=True)
    round_name = serializers.CharField(allow_blank=True)
    due_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("The deadline that matters: submissions close, scoring due, results expected; null: none set."),
    )
    url = serializers.CharField(help_text=_("The page where this is done."))


class HomeSerializer(serializers.Serializer):
    landing = serializers.CharField(help_text=_("The person's own area: where signing in lands."))
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    tasks = TaskSerializer(many=True)


class CategoryQuotaSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    name = serializers.CharField()
    max_entries = serializers.IntegerField(help_text=_("The category's quota of entries per entrant."))
    used = serializers.IntegerField(help_text=_("Your entries that count against it (withdrawn ones do not)."))
    codes = serializers.ListField(child=serializers.CharField(), help_text=_("Those entries' codes."))
    can_send = serializers.BooleanField(help_text=_("A new entry in this category would be accepted now."))


class EligibilitySerializer(serializers.Serializer):
    contest = serializers.IntegerField()
    accepts_entries = serializers.BooleanField(help_text=_("The contest is open and within its window."))
    has_library = serializers.BooleanField()
    library_takes_part = serializers.BooleanField(help_text=_("Your library belongs to the contest's networks."))
    categories = CategoryQuotaSerializer(many=True)


class EligibilityQuerySerializer(serializers.Serializer):
    contest = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ReachedRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class OutcomeCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField()
    award = serializers.CharField()


class OutcomeCommentSerializer(serializers.Serializer):
    round_name = serializers.CharField()
    comment = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    code = serializers.CharField()
    contest = serializers.IntegerField()
    contest_title = serializers.CharField()
    status = serializers.CharField()
    round_reached = ReachedRoundSerializer(allow_null=True, help_text=_("The last round the entry was ranked in."))
    advanced = serializers.BooleanField(help_text=_("It went on from that round."))
    prizes = serializers.ListField(child=serializers.CharField())
    certificates = OutcomeCertificateSerializer(many=True)
    comments_released = serializers.BooleanField()
    comments = OutcomeCommentSerializer(
        many=True, help_text=_("The judges' comments, without their names; empty until the organizers release them.")
    )
