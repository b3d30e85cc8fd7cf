"""A person asks for their data to be deleted; an organizer of their library's network carries
it out. What must be kept is kept and said: a published prize stays in the contest's record
(the entry's code, title, library, score and prize, and the certificate's code) until the
contest's time for winners ends, with the name no longer shown in public; everything else goes
now (privacy.erasure), and entries in contests still running are withdrawn."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.enums import RESULTS_OUT
from core.errors import Conflict, NotAllowed
from core.services import audit_record
from people.models import User
from privacy.enums import ErasureCause, ErasureStatus
from privacy.erasure import ErasureReport, entry_erase, person_erase, person_has_role
from privacy.models import ErasureRequest
from privacy.permissions import can_handle_erasure
from privacy.publicity import public_results_changed
from privacy.retention import prizes_won, retention_of
from results.models import Award
from submissions.enums import EntryStatus
from submissions.models import Entry


class ErasurePending(Conflict):
    default_message = gettext_lazy("Your request is already with the organizers.")


class ErasureHasRole(Conflict):
    default_message = gettext_lazy(
        "This person also works on the platform (library staff, organizer or judge): their roles are removed first."
    )


def kept_prizes_of(person_ids: list[int]) -> dict[int, list[dict]]:
    """Per person, the published prizes that stay, each with until when and why (one query)."""
    awards = (
        prizes_won(Award.objects.filter(entry__entrant_id__in=person_ids, contest__status__in=RESULTS_OUT))
        .exclude(entry__erasure__isnull=False)
        .select_related("tier", "contest__retention_policy", "entry")
        .order_by("contest_id", "pk")
    )
    kept = {person_id: [] for person_id in person_ids}
    for award in awards:
        until = retention_of(award.contest).winners_until
        kept[award.entry.entrant_id].append(
            {
                "entry": award.entry.code,
                "contest": award.contest.title,
                "prize": award.tier.name if award.tier_id else award.name,
                "until": until,
                "why": _(
                    "A published prize stays in the contest's record (the entry's code, title, library, score and "
                    "prize, and the certificate's code, which anyone may verify) until {date}, when it is removed "
                    "like the rest; the name is no longer shown in public."
                ).format(date=formats.date_format(timezone.localtime(until), "SHORT_DATE_FORMAT")),
            }
        )
    return kept


def kept_prizes(person: User) -> list[dict]:
    return kept_prizes_of([person.pk])[person.pk]


@transaction.atomic
def erasure_request(*, person: User, reason: str = "") -> ErasureRequest:
    if ErasureRequest.objects.filter(person=person, status=ErasureStatus.PENDING).exists():
        raise ErasurePending()
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                person=person, library_id=person.library_id, reason=reason, requested_at=timezone.now()
            )
    except IntegrityError:  # a second request at the same instant
        raise ErasurePending() from None
    audit_record(actor=person, action="privacy.erasure_requested", target=request)
    return request


@transaction.atomic
def erasure_carry_out(*, actor: User, request: ErasureRequest, now: datetime | None = None) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if not can_handle_erasure(actor, request.library_id):
        raise NotAllowed()
    if request.status != ErasureStatus.PENDING:
        raise Conflict(_("This request was carried out already."))
    person = User.objects.select_for_update().get(pk=request.person_id)
    if person_has_role(person):
        raise ErasureHasRole()
    now = now or timezone.now()
    kept = kept_prizes(person)
    kept_codes = {item["entry"] for item in kept}
    report = ErasureReport()
    entries = Entry.objects.filter(entrant=person).exclude(code__in=kept_codes).select_related("contest")
    for entry in entries.order_by("pk"):
        if entry.contest.status not in RESULTS_OUT and entry.status == EntryStatus.SUBMITTED:
            Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.WITHDRAWN)
        report.add(entry_erase(entry=entry, cause=ErasureCause.REQUEST, now=now))
    report.add(person_erase(person=person, asked=True))
    public_results_changed(entrant_ids={person.pk})
    report.kept = [item["entry"] for item in kept]
    request.status, request.handled_by, request.handled_at = ErasureStatus.DONE, actor, now
    request.report = report.as_dict()
    request.save(update_fields=["status", "handled_by", "handled_at", "report"])
    audit_record(actor=actor, action="privacy.erasure_carried_out", target=request, after=request.report)
    return request
