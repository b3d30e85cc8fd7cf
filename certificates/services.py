"""Writes for certificates: the design, issuing a contest's certificates (one row per holder and
award, the database says so), rendering each PDF once, revoking.

Issuing is quick and happens in the request: it writes the rows. Rendering is the slow part and
runs on workers, in chunks (tasks.py); a chunk renders only what has no file yet, and writes each
file under a temporary name first, so a worker killed half-way leaves no half-written PDF behind
a certificate, and running again renders exactly what is missing.
"""

import glob
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.enums import CertificateKind
from certificates.models import Certificate, CertificateDesign, CertificateJob
from certificates.rendering import CertificateContent, certificate_pdf, image_downscale
from contests.enums import RESULTS_OUT
from contests.models import Contest
from contests.permissions import can_manage_contest
from contests.services import contest_for_write
from core.errors import Conflict, DomainError, NotAllowed
from core.services import audit_record, task_enqueue_on_commit
from judging.models import Assignment, Judge
from people.models import User
from results.enums import AwardKind
from results.models import Award, CollectiveAward
from submissions.content import CODE_ALPHABET
from submissions.enums import EntryStatus
from submissions.models import Entry

CODE_LENGTH = 12  # 31^12 ≈ 7.9 × 10^17 codes, drawn by a CSPRNG: not guessable, and verify is throttled


def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_clean(text: str) -> str:
    """What someone typed or scanned, as stored: capitals, without the dashes and spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _manager_check(actor: User, contest: Contest) -> None:
    if not can_manage_contest(actor, contest):
        raise NotAllowed()


# Design -------------------------------------------------------------------------------------


def design_of(contest: Contest) -> CertificateDesign:
    return CertificateDesign.objects.filter(contest=contest).first() or CertificateDesign(contest=contest)


@transaction.atomic
def design_update(
    *,
    actor: User,
    contest: Contest,
    logo: UploadedFile | None = None,
    background: UploadedFile | None = None,
    **fields,
) -> CertificateDesign:
    """Text fields as given; an uploaded logo or background is downscaled (JPEG, ~200 KB at most)
    before it is stored, because every page embeds it."""
    _manager_check(actor, contest)
    design = design_of(contest)
    for name, value in fields.items():
        setattr(design, name, value)
    for name, upload in (("logo", logo), ("background", background)):
        if upload is None:
            continue
        try:
            jpeg = image_downscale(upload.read(), max_side=800 if name == "logo" else 2480)
        except ValueError:
            raise DomainError(_("Upload a picture (JPEG or PNG)."), field=name) from None
        getattr(design, name).save(f"{name}-{secrets.token_hex(6)}.jpg", ContentFile(jpeg), save=False)
    design.save()
    audit_record(actor=actor, action="certificate_design.updated", target=contest, after=sorted(fields) or None)
    return design


# Issuing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    """One certificate to be: whom it names, for what."""

    kind: str
    subject: str
    holder_name: str
    award: str
    holder_id: int | None = None
    library_id: int | None = None
    library_name: str = ""
    network_id: int | None = None
    entry_id: int | None = None


def holdings_of(contest: Contest) -> list[Holding]:
    """Everyone the published contest certifies, in the contest's language."""
    holdings = []
    with translation.override(contest.language):
        prizes = (
            Award.objects.filter(contest=contest, entry__status=EntryStatus.SUBMITTED)
            .exclude(kind=AwardKind.PRIZE, tier__isnull=True)
            .select_related("tier", "category", "entry__entrant", "entry__library")
        )
        for award in prizes:
            entry = award.entry
            holdings.append(
                Holding(
                    kind=CertificateKind.PRIZE,
                    subject=f"award:{award.pk}",
                    holder_name=entry.entrant.full_name,
                    award=f"{award.tier.name if award.tier_id else award.name} — {award.category.name}",
                    holder_id=entry.entrant_id,
                    library_id=entry.library_id,
                    library_name=entry.library.name,
                    entry_id=entry.pk,
                )
            )
        if design_of(contest).participation:
            took_part = _("Took part in the contest")
            seen = set()
            entries = Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED).select_related(
                "entrant", "library"
            )
            for entry in entries.order_by("entrant_id", "created_at", "id"):
                if entry.entrant_id in seen:
                    continue  # one per entrant, however many entries
                seen.add(entry.entrant_id)
                holdings.append(
                    Holding(
                        kind=CertificateKind.PARTICIPATION,
                        subject=f"entrant:{entry.entrant_id}",
                        holder_name=entry.entrant.full_name,
                        award=took_part,
                        holder_id=entry.entrant_id,
                        library_id=entry.library_id,
                        library_name=entry.library.name,
                    )
                )
        rounds_of: dict[int, list[str]] = {}
        names: dict[int, str] = {}
        # A judge of the contest who submitted at least one score in a round of it.
        scored = Assignment.objects.filter(round=OuterRef("round"), judge=OuterRef("user"), score__submitted=True)
        judges = Judge.objects.filter(round__contest=contest).filter(Exists(scored))
        panel = judges.values_list("user_id", "user__full_name", "round__name").order_by("user_id", "round__order")
        for user_id, full_name, round_name in panel:
            rounds_of.setdefault(user_id, []).append(round_name)
            names[user_id] = full_name
        for user_id, rounds in rounds_of.items():
            holdings.append(
                Holding(
                    kind=CertificateKind.JUDGE,
                    subject=f"judge:{user_id}",
                    holder_name=names[user_id],
                    award=_("Judge of {rounds}").format(rounds=", ".join(rounds)),
                    holder_id=user_id,
                )
            )
        for collective in CollectiveAward.objects.filter(contest=contest).select_related("library", "network"):
            unit = collective.library or collective.network
            holdings.append(
                Holding(
                    kind=CertificateKind.COLLECTIVE,
                    subject=f"collective:{collective.pk}",
                    holder_name=unit.name,
                    award=collective.name,
                    library_id=collective.library_id,
                    library_name=collective.library.name if collective.library_id else "",
                    network_id=collective.network_id,
                )
            )
    return holdings


@transaction.atomic
def certificates_issue(*, actor: User, contest: Contest) -> CertificateJob:
    """Writes the certificates the contest does not have yet and queues their rendering; asked
    again, it adds only what is new and renders only what is missing."""
    contest = contest_for_write(actor, contest, frozen_ok=True)  # issued once frozen, below
    if contest.status not in RESULTS_OUT:
        raise Conflict(_("Certificates are issued once the results are published."))
    existing = set(Certificate.objects.filter(contest=contest).values_list("subject", flat=True))
    new = [
        Certificate(
            contest=contest,
            kind=holding.kind,
            subject=holding.subject,
            holder_id=holding.holder_id,
            library_id=holding.library_id,
            network_id=holding.network_id,
            entry_id=holding.entry_id,
            holder_name=holding.holder_name,
            award=holding.award,
            library_name=holding.library_name,
            code=certificate_code_new(),
        )
        for holding in holdings_of(contest)
        if holding.subject not in existing
    ]
    Certificate.objects.bulk_create(new, batch_size=1000)
    job = CertificateJob.objects.create(
        contest=contest, started_by=actor, total=Certificate.objects.filter(contest=contest).count()
    )
    audit_record(actor=actor, action="certificates.issued", target=contest, after={"job": job.pk, "new": len(new)})
    from certificates.tasks import certificates_job_task  # (certificates.tasks imports this module)

    task_enqueue_on_commit(certificates_job_task, job_id=job.pk)
    return job


def job_done(job: CertificateJob) -> int:
    return min(job.total, Certificate.objects.filter(contest=job.contest_id, rendered_at__isnull=False).count())


def unrendered_ids(contest_id: int) -> list[int]:
    return list(
        Certificate.objects.filter(contest=contest_id, rendered_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# Rendering ----------------------------------------------------------------------------------


def _place_and_date(place: str, day, language: str) -> str:
    if language == "vi":
        return f"{place}, ngày {day.day} tháng {day.month} năm {day.year}"
    return f"{place}, {day.strftime('%B')} {day.day}, {day.year}"


def certificate_content(certificate: Certificate, design: CertificateDesign, images: dict) -> CertificateContent:
    contest = certificate.contest
    return CertificateContent(
        language=contest.language,
        contest_title=contest.title,
        holder_name=certificate.holder_name,
        award=certificate.award,
        library=certificate.library_name,
        place_and_date=_place_and_date(design.place, timezone.localdate(certificate.issued_at), contest.language),
        signatory_name=design.signatory_name,
        signatory_title=design.signatory_title,
        code=code_display(certificate.code),
        verify_url=f"{settings.SITE_URL}/verify/{certificate.code}/",
        logo=images.get("logo"),
        background=images.get("background"),
    )


def _design_images(design: CertificateDesign) -> dict[str, bytes]:
    images = {}
    for name in ("logo", "background"):
        field = getattr(design, name)
        if field:
            with field.open("rb") as stream:
                images[name] = stream.read()
    return images


def _write_atomically(relative: str, data: bytes) -> None:
    """The whole file under its name, or nothing: written beside it, then renamed over it.

    A worker killed while writing leaves its `.part` behind; the next writer of the same file
    (the certificate is rendered again, its row never marked) removes every `.part` of that name
    once its own is in place. One still being written by a live worker on the same certificate
    goes too: that worker then finds its `.part` gone and the file already whole, which is what
    it was writing."""
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.replace(temporary, path)
        except FileNotFoundError:
            if not path.exists():
                raise
            return  # another writer of this certificate put it in place and cleared ours
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        leftover.unlink(missing_ok=True)


RECORD_EVERY = 25  # rows marked rendered together: one UPDATE per 25 files, progress still moves


def certificates_render(certificate_ids: list[int], progress: Callable[[], None] = lambda: None) -> int:
    """Renders those of these certificates that have no file yet; returns how many it rendered.
    Safe to run twice, or at the same time as another worker on the same ids: a file is written
    whole or not at all, and a row is marked rendered only once its file is in place (a worker
    killed between the two renders that one again next time, over the same name). `progress` is
    called after each file (the task renews its lease)."""
    pending = (
        Certificate.objects.filter(pk__in=certificate_ids, rendered_at__isnull=True)
        .select_related("contest")
        .order_by("pk")
    )
    designs: dict[int, tuple[CertificateDesign, dict]] = {}
    rendered, written = 0, []
    for certificate in pending:
        if certificate.contest_id not in designs:
            design = design_of(certificate.contest)
            designs[certificate.contest_id] = (design, _design_images(design))
        design, images = designs[certificate.contest_id]
        relative = f"certificates/{certificate.contest_id}/{certificate.code}.pdf"
        _write_atomically(relative, certificate_pdf(certificate_content(certificate, design, images)))
        written.append(certificate.pk)
        if len(written) >= RECORD_EVERY:
            rendered += _rendered_record(written)
        progress()
    return rendered + _rendered_record(written)


def _rendered_record(written: list[int]) -> int:
    """Marks these rows rendered with their files (each file named by the row's own code, so one
    UPDATE serves them all); returns how many were not marked already."""
    if not written:
        return 0
    count = Certificate.objects.filter(pk__in=written, rendered_at__isnull=True).update(
        file=Concat(Value("certificates/"), Cast("contest_id", CharField()), Value("/"), "code", Value(".pdf")),
        rendered_at=timezone.now(),
    )
    written.clear()
    return count


# Revoking -----------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    _manager_check(actor, certificate.contest)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why: the reason is kept on record."), field="reason")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."))
    certificate.revoked_at, certificate.revoke_reason = timezone.now(), reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(actor=actor, action="certificate.revoked", target=certificate, reason=reason)
    return certificate
