"""Reads: who is a child, whose entries wait for a guardian's consent, and where."""

from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from contests.models import Contest
from people.models import User
from privacy.models import GuardianConsent
from submissions.enums import EntryStatus
from submissions.models import Entry


def minor_born_after(today: date | None = None) -> date:
    """Someone born after this date is under settings.PRIVACY_MINOR_AGE today (Vietnam's date)."""
    today = today or timezone.localdate()
    years = settings.PRIVACY_MINOR_AGE
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, and that year has none
        return today.replace(year=today.year - years, day=28)


def is_minor(person: User, today: date | None = None) -> bool:
    """A person whose date of birth is not known is taken as an adult: the date is asked at
    registration, and a library typing in a paper entry records it with the guardian's form."""
    return person.birth_date is not None and person.birth_date > minor_born_after(today)


def consents_given() -> QuerySet[GuardianConsent]:
    return GuardianConsent.objects.filter(confirmed_at__isnull=False, withdrawn_at__isnull=True)


def has_guardian_consent(person: User) -> bool:
    return consents_given().filter(child=person).exists()


def awaiting_consent_q(prefix: str = "") -> Q:
    """A filter on entries (through `prefix`): a child's entry without a guardian's consent."""
    return Q(**{f"{prefix}entrant__birth_date__gt": minor_born_after()}) & ~Q(
        **{f"{prefix}entrant_id__in": consents_given().values("child_id")}
    )


def entries_awaiting_consent(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.filter(status=EntryStatus.SUBMITTED).filter(awaiting_consent_q())


def consent_waiting_by_library(contest: Contest) -> list[dict]:
    """Per library, how many of the contest's entries wait for a guardian's consent."""
    rows = (
        entries_awaiting_consent(Entry.objects.filter(contest=contest))
        .values("library_id", "library__name")
        .annotate(waiting=Count("pk"))
        .order_by("library__name", "library_id")
    )
    return [
        {"library": row["library_id"], "library_name": row["library__name"], "waiting": row["waiting"]} for row in rows
    ]


def consents_of(person: User) -> QuerySet[GuardianConsent]:
    return GuardianConsent.objects.filter(child=person).order_by("-requested_at", "-id")
