"""What privacy tells judging (which must not import it), through judging.hooks: a child's
entries wait, unassigned, until a parent or guardian has given consent."""

from django.db.models import Q

from contests.models import Round
from judging.hooks import assignment_hold_register
from privacy.selectors import awaiting_consent_q


@assignment_hold_register
def entries_awaiting_guardian(judging_round: Round) -> Q:
    return awaiting_consent_q()
