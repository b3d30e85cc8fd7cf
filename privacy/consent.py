"""A guardian's consent to a child's data being processed, and the separate consent to
publishing a name (Decree 13/2023/ND-CP, Art. 20; the Personal Data Protection Law).

Online: the child (or their library) names a guardian and their e-mail; the guardian gets a
link (signed, no secret stored), reads the exact text and confirms; the time and the text are
kept. On paper: library staff upload the signed form's scan and are recorded as who checked it.
Until one is given, a child's entries are received but held back from judging (privacy.hooks).
"""

from datetime import date

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.enums import FileType
from core.errors import DomainError, NotAllowed
from core.services import audit_record, task_enqueue_on_commit
from people.models import User
from privacy.enums import ConsentMethod, Relation
from privacy.models import GuardianConsent
from privacy.permissions import can_ask_guardian, can_look_after
from privacy.publicity import public_results_changed
from privacy.selectors import is_minor
from submissions.files import AttachmentInvalid, attachment_inspect

_SALT = "privacy.guardian-consent"
SCAN_MAX_BYTES = 10 * 1024 * 1024


class ConsentLinkInvalid(DomainError):
    status_code = 400
    code = "consent_link_invalid"
    default_message = gettext_lazy("This link is not valid or has expired; ask for a new one.")


class NotAMinor(DomainError):
    status_code = 409
    code = "not_a_minor"
    default_message = gettext_lazy("This person is not a child: no guardian's consent is needed.")


def consent_text(*, child: User, guardian_name: str, relation: str) -> str:
    return _(
        "I, {guardian} ({relation}), agree that the reading-culture contest platform and the libraries that run "
        "its contests process the personal data of {child} (name, date of birth, library, e-mail address and the "
        "entries sent: texts, files and video links) to receive the entries, have them judged and award the "
        "prizes. I know that the name is published only with a separate consent, that the data is kept for a set "
        "time after the results are published and then removed, and that we may at any time download it or ask "
        "for it to be deleted."
    ).format(guardian=guardian_name, relation=Relation(relation).label, child=child.full_name)


def publish_text(*, child: User) -> str:
    return _(
        "I also agree that the name of {child}, with their library and prizes, is shown in the published results, "
        "the rankings and on the public page that verifies certificates."
    ).format(child=child.full_name)


def consent_token(consent: GuardianConsent) -> str:
    return signing.dumps(consent.pk, salt=_SALT, compress=True)


def consent_from_token(token: str) -> GuardianConsent:
    try:
        pk = signing.loads(token, salt=_SALT, max_age=settings.PRIVACY_CONSENT_LINK_DAYS * 86400)
    except signing.BadSignature:
        raise ConsentLinkInvalid() from None
    consent = GuardianConsent.objects.select_related("child").filter(pk=pk, method=ConsentMethod.ONLINE).first()
    if consent is None or consent.withdrawn_at is not None:
        raise ConsentLinkInvalid()
    return consent


def _child_check(actor: User, child: User, *, birth_date: date | None) -> None:
    if birth_date is not None and child.birth_date != birth_date:
        if not can_look_after(actor, child):
            raise NotAllowed(_("Only the library can correct a date of birth."))
        child.birth_date = birth_date
        child.save(update_fields=["birth_date"])
    if not is_minor(child):
        raise NotAMinor()


@transaction.atomic
def guardian_consent_request(
    *,
    actor: User,
    child: User,
    guardian_name: str,
    relation: str,
    guardian_email: str,
    guardian_phone: str = "",
    birth_date: date | None = None,
) -> GuardianConsent:
    """Asks a guardian online: the e-mail with the confirmation link is sent after commit."""
    if not can_ask_guardian(actor, child):
        raise NotAllowed()
    child = User.objects.select_for_update().get(pk=child.pk)
    _child_check(actor, child, birth_date=birth_date)
    with translation.override(child.language):
        text = consent_text(child=child, guardian_name=guardian_name, relation=relation)
    consent = GuardianConsent.objects.create(
        child=child,
        method=ConsentMethod.ONLINE,
        guardian_name=guardian_name,
        relation=relation,
        guardian_email=guardian_email,
        guardian_phone=guardian_phone,
        text=text,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(actor=actor, action="privacy.guardian_consent_requested", target=consent, after={"child": child.pk})
    from privacy.tasks import guardian_consent_mail_task

    task_enqueue_on_commit(guardian_consent_mail_task, consent_id=consent.pk)
    return consent


def guardian_consent_mail(*, consent_id: int) -> bool:
    """Sends the link once (a second run finds it sent); False when there is nothing to send."""
    with transaction.atomic():
        consent = GuardianConsent.objects.select_for_update().select_related("child").filter(pk=consent_id).first()
        if consent is None or consent.mail_sent_at or consent.confirmed_at or consent.withdrawn_at:
            return False
        with translation.override(consent.child.language):
            link = f"{settings.SITE_URL}/consent/{consent_token(consent)}/"
            subject = _("Your consent for {child} to take part in the reading contest").format(
                child=consent.child.full_name
            )
            body = _(
                "Hello {guardian},\n\n{child} wants to take part in a reading-culture contest run by their library. "
                "A child under {age} takes part only with the consent of a parent or guardian. Please read the text "
                "and confirm it here (the link works for {days} days):\n\n{link}\n\n"
                "If you do not know about this, ignore this e-mail: nothing is done without your confirmation."
            ).format(
                guardian=consent.guardian_name,
                child=consent.child.full_name,
                age=settings.PRIVACY_MINOR_AGE,
                days=settings.PRIVACY_CONSENT_LINK_DAYS,
                link=link,
            )
        EmailMessage(subject=subject, body=body, to=[consent.guardian_email]).send()
        consent.mail_sent_at = timezone.now()
        consent.save(update_fields=["mail_sent_at"])
    return True


@transaction.atomic
def guardian_consent_confirm(*, token: str, publish: bool) -> GuardianConsent:
    """The guardian agrees to the text they were shown, and (a separate box) to publishing."""
    consent = consent_from_token(token)
    consent = GuardianConsent.objects.select_for_update().select_related("child").get(pk=consent.pk)
    if consent.confirmed_at is not None:
        return consent  # confirmed already: the page sent twice
    now = timezone.now()
    consent.confirmed_at = now
    if publish:
        with translation.override(consent.child.language):
            consent.publish, consent.publish_text = True, publish_text(child=consent.child)
        User.objects.filter(pk=consent.child_id).update(publish_consent_at=now)
        public_results_changed(entrant_ids={consent.child_id})
    consent.save(update_fields=["confirmed_at", "publish", "publish_text"])
    audit_record(
        actor=None,
        action="privacy.guardian_consent_given",
        target=consent,
        after={"child": consent.child_id, "method": consent.method, "publish": publish},
    )
    return consent


@transaction.atomic
def guardian_consent_paper(
    *,
    actor: User,
    child: User,
    guardian_name: str,
    relation: str,
    scan,
    publish: bool,
    guardian_phone: str = "",
    birth_date: date | None = None,
) -> GuardianConsent:
    """Library staff record a signed paper form: the scan is kept, and who checked it."""
    if not can_look_after(actor, child):
        raise NotAllowed()
    child = User.objects.select_for_update().get(pk=child.pk)
    _child_check(actor, child, birth_date=birth_date)
    try:
        inspected = attachment_inspect(
            scan, allowed_types=[FileType.PDF, FileType.JPEG, FileType.PNG], max_bytes=SCAN_MAX_BYTES
        )
    except AttachmentInvalid as error:
        raise DomainError(error.message, field="scan") from None
    now = timezone.now()
    with translation.override(child.language):
        text = consent_text(child=child, guardian_name=guardian_name, relation=relation)
        agreed_publish = publish_text(child=child) if publish else ""
    consent = GuardianConsent(
        child=child,
        method=ConsentMethod.PAPER,
        guardian_name=guardian_name,
        relation=relation,
        guardian_phone=guardian_phone,
        text=text,
        publish=publish,
        publish_text=agreed_publish,
        checked_by=actor,
        requested_by=actor,
        requested_at=now,
        confirmed_at=now,
    )
    # The copy without the scanner's or phone's metadata (where it was taken, by what).
    consent.scan.save(f"scan.{inspected.file_type}".replace("jpeg", "jpg"), ContentFile(inspected.blind), save=False)
    consent.save()
    if publish:
        User.objects.filter(pk=child.pk).update(publish_consent_at=now)
        public_results_changed(entrant_ids={child.pk})
    audit_record(
        actor=actor,
        action="privacy.guardian_consent_given",
        target=consent,
        after={"child": child.pk, "method": consent.method, "publish": publish},
    )
    return consent


@transaction.atomic
def publish_consent_set(*, actor: User, agree: bool) -> User:
    """A person agrees to (or withdraws) their name being published. For a child, agreeing is
    their guardian's to do (the confirmation page, or the paper form); withdrawing is anyone's."""
    person = User.objects.select_for_update().get(pk=actor.pk)
    if agree and is_minor(person):
        raise NotAllowed(
            _("For a child under {age}, a parent or guardian gives this consent.").format(
                age=settings.PRIVACY_MINOR_AGE
            )
        )
    before = person.publish_consent_at
    if agree and before is None:
        person.publish_consent_at = timezone.now()
    elif not agree:
        person.publish_consent_at = None
    if person.publish_consent_at != before:
        person.save(update_fields=["publish_consent_at"])
        public_results_changed(entrant_ids={person.pk})
        audit_record(actor=actor, action="privacy.publish_consent", target=person, after={"agree": agree})
    return person
