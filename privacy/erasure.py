"""Removing a person's data while keeping the contest's record.

Kept: an entry's code, library, category, status, word count, its scores, ranks and prizes
(the figures: leaderboards and counts stay true), every audit row, and each certificate's row
and code (still verifiable: the holder then reads as the entry's code). Removed: the entry's
title, text, files and video link, the screening's copy of its text, the certificate's PDF
(it bears the name), and, once none of a person's entries is kept any more, the person's name,
e-mail, date of birth, sign-in and their guardian's details and scan.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from knox.models import AuthToken

from certificates.enums import CertificateKind
from certificates.models import Certificate
from people.models import User
from privacy.models import ErasedEntry, GuardianConsent
from screening.models import Fingerprint
from submissions.models import Entry

# What stands in for the text removed (an entry must keep some content: entry_has_content).
REMOVED = "—"


@dataclass
class ErasureReport:
    entries: int = 0
    winners: int = 0
    files: int = 0
    people: int = 0
    certificates: int = 0
    kept: list[str] = field(default_factory=list)

    def add(self, other: "ErasureReport") -> None:
        for name in ("entries", "winners", "files", "people", "certificates"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return asdict(self)


def _delete_file(file_field) -> int:
    if not file_field:
        return 0
    file_field.storage.delete(file_field.name)
    return 1


def entry_erase(*, entry: Entry, cause: str, now: datetime, winner: bool = False) -> ErasureReport:
    """The entry's personal content goes; its code and figures stay. Run twice, a no-op."""
    report = ErasureReport()
    if ErasedEntry.objects.filter(entry=entry).exists():
        return report
    # After the commit would be safer for the files; but a file left behind by a rollback is
    # worse here than one gone with its row (the row is about to lose its name anyway).
    report.files += _delete_file(entry.attachment) + _delete_file(entry.blind_attachment)
    # update(), not save(): `updated_at` stays, so nothing takes the entry for a changed one.
    Entry.objects.filter(pk=entry.pk).update(
        title="",
        body=REMOVED,
        attachment="",
        blind_attachment="",
        attachment_name="",
        attachment_type="",
        attachment_size=None,
        video_url="",
    )
    Fingerprint.objects.filter(entry=entry).delete()
    certificates = Certificate.objects.filter(contest_id=entry.contest_id).filter(
        Q(entry=entry) | Q(kind=CertificateKind.PARTICIPATION, holder_id=entry.entrant_id)
    )
    for certificate in certificates:
        report.files += _delete_file(certificate.file)
    report.certificates += certificates.update(holder_name=entry.code, file="")
    ErasedEntry.objects.create(entry=entry, cause=cause, erased_at=now)
    report.entries += 1
    report.winners += int(winner)
    return report


def _has_role(person: User) -> bool:
    return (
        person.is_staff
        or person.is_superuser
        or person.staff_roles.exists()
        or person.organizer_roles.exists()
        or person.judgeships.exists()
    )


def person_has_role(person: User) -> bool:
    return _has_role(person)


def person_erase(*, person: User, asked: bool = False) -> ErasureReport:
    """The person's identity goes, once none of their entries is kept (or at once when they
    asked) and they hold no role on the platform (staff, organizers and judges are answerable
    for what they did)."""
    report = ErasureReport()
    if person.username.startswith("erased-") or _has_role(person):
        return report
    if not asked and Entry.objects.filter(entrant=person, erasure__isnull=True).exists():
        return report
    for consent in GuardianConsent.objects.filter(child=person):
        report.files += _delete_file(consent.scan)
    # The fact of consent (how, when) stays as evidence; who the guardian is and the text
    # naming them do not.
    GuardianConsent.objects.filter(child=person).update(
        guardian_name="", guardian_email="", guardian_phone="", text="", publish_text="", scan=""
    )
    person.username = f"erased-{person.pk}"
    person.full_name = ""
    person.email = ""
    person.birth_date = None
    person.publish_consent_at = None
    person.is_active = False
    person.set_unusable_password()
    person.save()
    AuthToken.objects.filter(user=person).delete()
    report.people += 1
    return report


@transaction.atomic
def people_erase_done(*, person_ids: set[int]) -> ErasureReport:
    report = ErasureReport()
    for person in User.objects.select_for_update().filter(pk__in=person_ids).order_by("pk"):
        report.add(person_erase(person=person))
    return report
