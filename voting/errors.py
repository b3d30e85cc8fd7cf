"""Every refusal of the public vote, each its own 4xx with a code the page shows a state for."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, NotAllowed


class VoteNotOpenYet(Conflict):
    code = "vote_not_open"
    default_message = _("Voting has not opened yet.")


class VoteClosed(Conflict):
    code = "vote_closed"
    default_message = _("Voting is closed.")


class EmailUnverified(NotAllowed):
    code = "email_unverified"
    default_message = _("Confirm your e-mail address before voting: we sent you a link, or ask for a new one.")


class NotTakingPart(NotAllowed):
    code = "library_not_taking_part"
    default_message = _("Only accounts of libraries taking part in this contest may vote.")


class EntryNotViewed(Conflict):
    code = "entry_not_viewed"
    default_message = _("Open the entry before voting for it.")


class NotInVote(DomainError):
    code = "not_in_vote"
    default_message = _("This entry is not in the vote.")


class BallotVoided(Conflict):
    code = "ballot_voided"
    default_message = _("Your vote in this category was voided by the organizers; it cannot be cast again.")


class VoteStarted(Conflict):
    code = "vote_started"
    default_message = _("Voting has opened: entries can no longer be taken out of the vote.")


class VoteNotClosed(Conflict):
    code = "vote_not_closed"
    default_message = _("The list can be published only once voting has closed.")


class VotePublished(Conflict):
    code = "vote_published"
    default_message = _("The list is already published: the vote can no longer change.")
