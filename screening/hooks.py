"""What screening tells judging (which must not import it), through judging.hooks: which
entries wait for their organizers' decision before they are assigned, and the notes an
organizer chose to send on to an entry's judges."""

from django.db.models import Q
from django.utils.translation import gettext as _

from contests.models import Round
from judging.hooks import assignment_hold_register, judge_notes_register
from screening.enums import PairStatus
from screening.models import Pair
from submissions.models import Entry


@assignment_hold_register
def entries_awaiting_decision(judging_round: Round) -> Q:
    """Both entries of every undecided pair, in a contest that holds flagged entries back."""
    pending = Pair.objects.filter(
        contest_id=judging_round.contest_id,
        status=PairStatus.PENDING,
        contest__screening_policy__hold_flagged=True,
    )
    return Q(pk__in=pending.values("entry_id")) | Q(pk__in=pending.values("other_id"))


@judge_notes_register
def notes_sent_on(entry: Entry) -> list[str]:
    pairs = Pair.objects.filter(
        Q(entry=entry) | Q(other=entry), contest_id=entry.contest_id, forwarded_at__isnull=False
    ).order_by("forwarded_at", "id")
    return [
        _("The organizers found passages this essay shares with another entry ({percent}% alike): {note}").format(
            percent=round(pair.similarity * 100), note=pair.judges_note
        )
        for pair in pairs
    ]
