"""Everything the platform holds about a person, for them to download: one data.json and their
files (attachments, a guardian's scan, certificates' PDFs), as a ZIP streamed as it is built.

Results appear only for contests whose results are out: before that, not even the entrant
learns their score (tests/results/test_leaks.py asks this endpoint too)."""

import json
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from certificates.models import Certificate
from contests.enums import RESULTS_OUT
from core.models import AuditEntry
from judging.models import RoundResult
from people.models import User
from privacy.models import ErasureRequest, GuardianConsent
from results.models import Award
from submissions.models import Entry


def person_data(person: User) -> dict:
    entries = Entry.objects.filter(entrant=person).select_related("contest", "category", "library").order_by("pk")
    out_ids = {entry.pk for entry in entries if entry.contest.status in RESULTS_OUT}
    results = RoundResult.objects.filter(entry_id__in=out_ids).select_related("round").order_by("round__order")
    awards = Award.objects.filter(entry_id__in=out_ids).select_related("tier").exclude(kind="prize", tier=None)
    return {
        "person": {
            "username": person.username,
            "full_name": person.full_name,
            "email": person.email,
            "birth_date": person.birth_date,
            "library": person.library.name if person.library_id else None,
            "language": person.language,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
            "publish_consent_at": person.publish_consent_at,
        },
        "guardian_consents": [
            {
                "method": c.method,
                "guardian_name": c.guardian_name,
                "relation": c.relation,
                "guardian_email": c.guardian_email,
                "guardian_phone": c.guardian_phone,
                "text": c.text,
                "publish": c.publish,
                "publish_text": c.publish_text,
                "requested_at": c.requested_at,
                "confirmed_at": c.confirmed_at,
                "withdrawn_at": c.withdrawn_at,
                "scan": bool(c.scan),
            }
            for c in GuardianConsent.objects.filter(child=person).order_by("pk")
        ],
        "entries": [
            {
                "code": e.code,
                "contest": e.contest.title,
                "category": e.category.name,
                "library": e.library.name,
                "title": e.title,
                "book_title": e.book_title,
                "book_author": e.book_author,
                "body": e.body,
                "video_url": e.video_url,
                "attachment": e.attachment_name or None,
                "status": e.status,
                "submitted_at": e.created_at,
                "results": [
                    {"round": r.round.name, "score": r.score, "rank": r.rank, "advanced": r.advanced}
                    for r in results
                    if r.entry_id == e.pk
                ],
                "prizes": [a.tier.name if a.tier_id else a.name for a in awards if a.entry_id == e.pk],
            }
            for e in entries
        ],
        "certificates": [
            {"code": c.code, "award": c.award, "contest": c.contest.title, "issued_at": c.issued_at}
            for c in Certificate.objects.filter(holder=person).select_related("contest").order_by("pk")
        ],
        "erasure_requests": [
            {"status": r.status, "requested_at": r.requested_at, "handled_at": r.handled_at}
            for r in ErasureRequest.objects.filter(person=person).order_by("pk")
        ],
        "activity": [
            {"action": a.action, "at": a.at}
            for a in AuditEntry.objects.filter(Q(actor=person) | Q(target_type="people.user", target_id=person.pk))
            .order_by("at", "pk")
            .only("action", "at")
        ],
    }


def person_files(person: User) -> list[tuple[str, object]]:
    files = []
    for entry in Entry.objects.filter(entrant=person).exclude(attachment="").order_by("pk"):
        name = PurePath(entry.attachment_name or entry.attachment.name).name
        files.append((f"entries/{entry.code}/{name}", entry.attachment))
    for consent in GuardianConsent.objects.filter(child=person).exclude(scan="").order_by("pk"):
        files.append((f"guardian-consents/{consent.pk}{PurePath(consent.scan.name).suffix}", consent.scan))
    for certificate in Certificate.objects.filter(holder=person).exclude(file="").order_by("pk"):
        files.append((f"certificates/{certificate.code}.pdf", certificate.file))
    return files


class _Pipe:
    def __init__(self):
        self.chunks = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def person_zip(person: User) -> Iterator[bytes]:
    """Read up front (the request's connection may be gone by the time the ZIP is streamed)."""
    data = json.dumps(person_data(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
    files = person_files(person)

    def stream():
        pipe = _Pipe()
        with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", data)
            yield pipe.take()
            for name, field_file in files:
                if not field_file.storage.exists(field_file.name):
                    continue  # gone from storage: data.json still says it was there
                with field_file.open("rb") as source, archive.open(name, "w") as target:
                    while block := source.read(1 << 16):
                        target.write(block)
                        yield pipe.take()
        yield pipe.take()

    return stream()
