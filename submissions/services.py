"""Writes for entries: submit, edit, withdraw, disqualify, paper entries (their CSV import: submissions.imports)."""

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.enums import EntryFormat
from contests.models import Category, Contest
from contests.permissions import can_manage_contest
from contests.services import contest_for_write, results_frozen_check
from core.errors import Conflict, DomainError, NotAllowed
from core.idempotency import (
    RequestKey,
    idempotency_check,
    idempotency_claim_last,
    idempotency_settle,
)
from core.services import audit_record, task_enqueue_on_commit
from core.text import code_point, control_characters, has_visible_text
from people.models import Library, User
from people.services import full_name_clean, text_clean
from submissions import content
from submissions.enums import QUOTA_STATUSES, EntryStatus
from submissions.files import attachment_blind_copy, attachment_inspect
from submissions.models import Entry, attachment_path
from submissions.permissions import (
    can_edit_entry,
    can_register_paper_entry,
    contest_accepts_entries,
    is_entry_keeper,
    library_takes_part,
)
from submissions.signals import entry_left

EDITABLE_FIELDS = (
    "title",
    "book_title",
    "book_author",
    "book_publisher",
    "book_year",
    "book_isbn",
    "body",
    "video_url",
)


class SubmissionsClosed(Conflict):
    code = "submissions_closed"
    default_message = gettext_lazy("This contest is not accepting entries now.")


class QuotaReached(Conflict):
    code = "quota_reached"
    default_message = gettext_lazy("You already have the most entries this category allows.")


def _content_check(category: Category, values: dict[str, Any], attachment) -> tuple[dict[str, Any], bytes | None]:
    """The category's rules. Returns the cleaned values, including the attachment's facts, and
    the judges' copy of the attachment (None without one)."""
    formats = set(category.formats)
    # A browser sends a form's text with CRLF line ends (multipart): stored as "\n", as JSON sends it.
    body = values.get("body", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    video_url = values.get("video_url", "").strip()
    if body and EntryFormat.TEXT not in formats:
        raise DomainError(_("This category does not take essay text."), field="body")
    if attachment is not None and EntryFormat.FILE not in formats:
        raise DomainError(_("This category does not take files."), field="attachment")
    if video_url and EntryFormat.VIDEO not in formats:
        raise DomainError(_("This category does not take video links."), field="video_url")
    cleaned = {
        key: text_clean(values[key])
        for key in ("title", "book_title", "book_author", "book_publisher")
        if key in values
    }
    for required in ("title", "book_title", "book_author"):
        if required in cleaned and not cleaned[required]:
            raise DomainError(_("This field may not be blank."), field=required)
    for name, value in cleaned.items():
        if control_characters(value):
            raise DomainError(
                _("Remove the control character {char}.").format(char=code_point(control_characters(value)[0])),
                field=name,
            )
        if value and not has_visible_text(value):
            raise DomainError(_("Write this in letters or digits: it holds only invisible characters."), field=name)
    if "book_year" in values:
        cleaned["book_year"] = values["book_year"]
    if "book_isbn" in values:
        cleaned["book_isbn"] = content.isbn_clean(values["book_isbn"])
    if "body" in values:
        words = content.words_count(body)
        if words > category.max_words:
            raise DomainError(
                _("The essay has {words} words; this category allows at most {limit}.").format(
                    words=words, limit=category.max_words
                ),
                field="body",
            )
        cleaned["body"], cleaned["word_count"] = body, words
    if "video_url" in values:
        cleaned["video_url"] = (
            content.video_url_check(video_url, allowed_hosts=category.allowed_video_hosts) if video_url else ""
        )
    if attachment is not None:
        inspected = attachment_inspect(
            attachment, allowed_types=category.allowed_file_types, max_bytes=category.max_file_bytes
        )
        cleaned |= {
            "attachment_name": inspected.name,
            "attachment_type": inspected.file_type,
            "attachment_size": inspected.size,
        }
        return cleaned, inspected.blind
    return cleaned, None


def _content_required(entry: Entry, *, new_attachment=None) -> None:
    if not (entry.body or entry.attachment or new_attachment is not None or entry.video_url):
        raise DomainError(_("An entry needs an essay, a file or a video link."), field="body")


def _extension(entry: Entry) -> str:
    return {"pdf": ".pdf", "docx": ".docx", "jpeg": ".jpg", "png": ".png"}[entry.attachment_type]


def _attachment_store(entry: Entry, attachment, blind: bytes) -> None:
    """Both files, or neither: a failure on the second removes the first."""
    attachment.seek(0)
    entry.attachment.save(f"upload{_extension(entry)}", attachment, save=False)
    try:
        entry.blind_attachment.save(f"blind{_extension(entry)}", ContentFile(blind), save=False)
    except BaseException:
        _attachment_files_delete(entry.attachment.storage, [entry.attachment.name])
        raise


def _attachment_files_delete(storage, names) -> None:
    for name in names:
        if name:
            storage.delete(name)


def entry_submit(
    *,
    entrant: User,
    contest: Contest,
    category: Category,
    values: dict[str, Any],
    attachment=None,
    submitted_by: User | None = None,
    is_paper: bool = False,
    request_key: RequestKey | None = None,
) -> Entry:
    """Raises core.idempotency.RequestRepeated when `request_key` already made an entry: before
    any other check, so that a retry answers as the first request did even past the deadline.

    Deadline day's path, 8 queries (tests/submissions/test_submit_queries.py): the view's
    category with its contest and network, then BEGIN, the entrant's row lock (with their
    library and its network), the quota count, the entry, its audit row, its outbox row, COMMIT;
    an Idempotency-Key adds its check and its row, written with the entry's id. Neither the
    entry's code nor the key takes a savepoint: a clash (a code drawn before, about one in 400
    at two million entries; the key of a retry that committed first) rolls the whole
    transaction back, and it runs again with a new code, or answers as the retry did."""
    idempotency_check(user=submitted_by or entrant, request_key=request_key)
    if category.contest_id != contest.pk:
        raise DomainError(_("This category belongs to another contest."), field="category")
    if not contest_accepts_entries(contest):
        raise SubmissionsClosed()
    if entrant.library_id is None:
        raise DomainError(_("Your account has no library; entries are sent through a library."), field="library")
    cleaned, blind = _content_check(category, values, attachment)
    entry = Entry(
        contest=contest,
        category=category,
        entrant=entrant,
        library_id=entrant.library_id,
        submitted_by=submitted_by or entrant,
        is_paper=is_paper,
        **cleaned,
    )
    _content_required(entry, new_attachment=attachment)
    try:
        for _attempt in range(5):
            entry.code = content.entry_code_new(contest.code_prefix)
            try:
                _entry_create(entry, request_key=request_key, attachment=attachment, blind=blind)
                return entry
            except IntegrityError:
                # The transaction rolled back. Its key taken by a request that committed
                # meanwhile: answer as that one did (raises); an expired key deleted, or a code
                # already drawn: again, with a new code.
                if idempotency_settle(user=entry.submitted_by, request_key=request_key):
                    continue
                if not Entry.objects.filter(code=entry.code).exists():
                    raise
        raise Conflict(_("Could not draw a free entry code; please try again."))
    except BaseException:
        if entry.attachment:  # the row never committed: leave no file behind
            _attachment_files_delete(entry.attachment.storage, [entry.attachment.name, entry.blind_attachment.name])
        raise


@transaction.atomic
def _entry_create(entry: Entry, *, request_key: RequestKey | None, attachment, blind: bytes | None) -> None:
    entrant, category, actor = entry.entrant, entry.category, entry.submitted_by
    # The entrant's row lock serializes one person's submissions, so two at the same instant
    # cannot both slip under the quota; it reads their library (and its network) as it is now.
    # NO KEY UPDATE: other rows may still reference the user (audit rows) meanwhile.
    locked = (
        User.objects.select_for_update(no_key=True, of=("self",)).select_related("library__network").get(pk=entrant.pk)
    )
    library = locked.library
    if library is None:
        raise DomainError(_("Your account has no library; entries are sent through a library."), field="library")
    if not library_takes_part(entry.contest, library):
        raise NotAllowed(_("Your library does not take part in this contest."))
    entry.library = library
    taken = Entry.objects.filter(category=category, entrant=entrant, status__in=QUOTA_STATUSES).count()
    if taken >= category.max_entries_per_entrant:
        if actor != entrant:
            raise QuotaReached(_("This student already has the most entries this category allows."))
        raise QuotaReached()
    if attachment is not None and not entry.attachment:  # stored once, kept if a code clash runs this again
        _attachment_store(entry, attachment, blind)
    entry.save(force_insert=True)
    idempotency_claim_last(user=actor, request_key=request_key, results=[entry.pk])
    audit_record(
        actor=actor,
        action="entry.submitted",
        target=entry,
        after={"code": entry.code, "category": category.pk, "paper": entry.is_paper},
    )
    from submissions.tasks import entry_receipt_send_task

    task_enqueue_on_commit(entry_receipt_send_task, entry_id=entry.pk)


def _results_unfrozen_lock(actor: User, entry: Entry) -> None:
    """An organizer's change to an entry after the deadline: the contest's row first (as
    disqualification and publication take it), refused once the results are out. An entrant's
    change before the deadline does not queue on it: an open contest has no result yet."""
    if can_manage_contest(actor, entry.contest):
        contest_for_write(actor, entry.contest)


def entry_update(*, actor: User, entry: Entry, values: dict[str, Any], attachment=None) -> Entry:
    if can_manage_contest(actor, entry.contest):
        results_frozen_check(entry.contest)  # before a file is written; asked again under the lock
    if not can_edit_entry(actor, entry):
        if is_entry_keeper(actor, entry) and entry.status == EntryStatus.SUBMITTED:
            raise SubmissionsClosed(_("The deadline has passed: the entry is locked."))
        raise NotAllowed()
    cleaned, blind = _content_check(entry.category, values, attachment)
    old_files = [entry.attachment.name, entry.blind_attachment.name] if attachment is not None else []
    new_files = []
    try:
        if attachment is not None:  # written before the row lock: a big file must not hold it
            entry.attachment_type = cleaned["attachment_type"]
            _attachment_store(entry, attachment, blind)
            new_files = [entry.attachment.name, entry.blind_attachment.name]
        with transaction.atomic():
            _results_unfrozen_lock(actor, entry)
            entry = (
                Entry.objects.select_for_update(of=("self",), no_key=True)
                .select_related("contest", "category", "library")
                .get(pk=entry.pk)
            )
            if not can_edit_entry(actor, entry):  # withdrawn or disqualified meanwhile
                raise Conflict(_("The entry changed meanwhile; reload it."))
            before = {name: getattr(entry, name) for name in cleaned if name in EDITABLE_FIELDS}
            for name, value in cleaned.items():
                setattr(entry, name, value)
            if new_files:
                entry.attachment.name, entry.blind_attachment.name = new_files
            _content_required(entry)
            entry.save()
            after = {name: getattr(entry, name) for name in before}
            if attachment is not None:
                before["attachment"], after["attachment"] = old_files[0] or None, entry.attachment.name
            audit_record(actor=actor, action="entry.updated", target=entry, before=before, after=after)
            if any(old_files):
                storage = entry.attachment.storage
                transaction.on_commit(lambda: _attachment_files_delete(storage, old_files))
    except BaseException:
        _attachment_files_delete(entry.attachment.storage, new_files)
        raise
    return entry


def entry_blind_attachment_make(*, entry: Entry) -> Entry:
    """The judges' copy of an attachment stored before there were copies (the command
    attachments_blind_copy). AttachmentInvalid if the file would be refused today: the entry
    keeps no copy, and its judges are told the file is not ready."""
    with entry.attachment.open("rb") as stored:
        blind = attachment_blind_copy(stored.read(), entry.attachment_type)
    storage = entry.blind_attachment.storage
    written = storage.save(attachment_path(entry, f"blind{_extension(entry)}"), ContentFile(blind))
    try:
        with transaction.atomic():
            locked = Entry.objects.select_for_update(no_key=True).get(pk=entry.pk)
            if locked.attachment.name != entry.attachment.name or locked.blind_attachment:
                storage.delete(written)  # replaced or copied meanwhile: that one stands
                return locked
            locked.blind_attachment.name = written
            locked.save(update_fields=["blind_attachment"])
    except BaseException:
        storage.delete(written)
        raise
    return locked


@transaction.atomic
def entry_withdraw(*, actor: User, entry: Entry) -> Entry:
    _results_unfrozen_lock(actor, entry)
    entry = (
        Entry.objects.select_for_update(of=("self",), no_key=True).select_related("contest", "library").get(pk=entry.pk)
    )
    keeper = is_entry_keeper(actor, entry) or can_manage_contest(actor, entry.contest)
    if keeper and entry.status != EntryStatus.SUBMITTED:
        raise Conflict(_("Only a submitted entry can be withdrawn."))
    if not can_edit_entry(actor, entry):
        if keeper:
            raise SubmissionsClosed(_("The deadline has passed: the entry is locked."))
        raise NotAllowed()
    entry.status = EntryStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="entry.withdrawn", target=entry, before={"status": "submitted"})
    entry_left.send(sender=Entry, entry=entry, actor=actor)
    return entry


@transaction.atomic
def entry_disqualify(*, actor: User, entry: Entry, reason: str) -> Entry:
    # The contest first (publication locks it too): a published result does not change.
    contest_for_write(actor, entry.contest)
    entry = Entry.objects.select_for_update(no_key=True).get(pk=entry.pk)
    if entry.status != EntryStatus.SUBMITTED:
        raise Conflict(_("Only a submitted entry can be disqualified."))
    entry.status, entry.disqualification_reason = EntryStatus.DISQUALIFIED, reason.strip()
    entry.save(update_fields=["status", "disqualification_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="entry.disqualified",
        target=entry,
        before={"status": "submitted"},
        after={"status": entry.status},
        reason=entry.disqualification_reason,
    )
    entry_left.send(sender=Entry, entry=entry, actor=actor)
    from submissions.tasks import entry_disqualified_notify_task

    task_enqueue_on_commit(entry_disqualified_notify_task, entry_id=entry.pk)
    return entry


# --- paper entries ----------------------------------------------------------------------------


def paper_entrant_find_or_create(*, library: Library, full_name: str, email: str = "") -> User:
    """The student behind a paper entry: the member of the library with that e-mail; without
    an e-mail, the paper-registered member with exactly that name (so that sending the same
    student twice meets the quota instead of making a second account); else a new account
    without a password. Two different students of one library with the same name need an
    e-mail, or the `entrant` id, to be told apart."""
    name = full_name_clean(full_name)
    email = User.objects.normalize_email(email.strip())
    if email:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            if existing.library_id != library.pk:
                raise DomainError(_("This e-mail belongs to a student of another library."), field="entrant_email")
            return existing
    else:
        paper_registered = User.objects.filter(library=library, full_name=name, password__startswith="!")
        existing = paper_registered.order_by("pk").first()  # "!" starts Django's unusable passwords
        if existing is not None:
            return existing
    user = User(
        username=f"giay-{library.pk}-{secrets.token_hex(4)}",
        full_name=name,
        email=email,
        library=library,
        welcomed_at=timezone.now(),  # nobody to welcome: the library registered them
    )
    user.set_unusable_password()
    user.save()
    return user


def paper_entry_register(
    *,
    staff: User,
    contest: Contest,
    library: Library,
    category: Category,
    values: dict[str, Any],
    entrant: User | None = None,
    entrant_full_name: str = "",
    entrant_email: str = "",
    attachment=None,
    request_key: RequestKey | None = None,
) -> Entry:
    if not can_register_paper_entry(staff, contest=contest, library=library):
        raise NotAllowed(_("Only the library's staff may register its paper entries."))
    idempotency_check(user=staff, request_key=request_key)  # before a student is matched or made
    with transaction.atomic():
        if entrant is None:
            if not entrant_full_name.strip():
                raise DomainError(_("Give the student's full name, or pick a student."), field="entrant_full_name")
            try:
                entrant = paper_entrant_find_or_create(
                    library=library, full_name=entrant_full_name, email=entrant_email
                )
            except ValidationError as error:
                raise DomainError(" ".join(error.messages), field="entrant_full_name") from error
        elif entrant.library_id != library.pk:
            raise DomainError(_("This student is not a member of the library."), field="entrant")
        return entry_submit(
            entrant=entrant,
            contest=contest,
            category=category,
            values=values,
            attachment=attachment,
            submitted_by=staff,
            is_paper=True,
            request_key=request_key,
        )


def entry_receipt_send(*, entry_id: int) -> bool:
    """The receipt e-mail, once (row lock + receipt_sent_at)."""
    from submissions.notifications import entry_mail

    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("entrant", "contest", "category")
        entry = entry.filter(pk=entry_id, receipt_sent_at__isnull=True).first()
        if entry is None:
            return False
        if entry.entrant.email:
            entry_mail(entry, kind="receipt")
        entry.receipt_sent_at = timezone.now()
        entry.save(update_fields=["receipt_sent_at"])
    return True


def entry_disqualified_notify(*, entry_id: int) -> bool:
    from submissions.notifications import entry_mail

    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("entrant", "contest", "category")
        entry = entry.filter(
            pk=entry_id, status=EntryStatus.DISQUALIFIED, disqualification_sent_at__isnull=True
        ).first()
        if entry is None:
            return False
        if entry.entrant.email:
            entry_mail(entry, kind="disqualified")
        entry.disqualification_sent_at = timezone.now()
        entry.save(update_fields=["disqualification_sent_at"])
    return True


def attachments_orphaned_delete(*, older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Deletes the files under entries/ that no entry refers to and that were written more than
    `older_than` ago; returns their names. A request that fails removes its own upload at once
    (entry_submit, entry_update); this is for one that died between writing its file and
    committing its row (a worker killed, a machine lost), with no code left to remove it. The
    grace spares the files of requests still under way."""
    storage = Entry._meta.get_field("attachment").storage
    file_fields = [f.name for f in Entry._meta.get_fields() if isinstance(f, models.FileField)]
    written_before = timezone.now() - older_than
    try:
        folders, _files = storage.listdir("entries")
    except FileNotFoundError:
        return []
    deleted = []
    for folder in folders:
        names = [f"entries/{folder}/{name}" for name in storage.listdir(f"entries/{folder}")[1]]
        for start in range(0, len(names), 500):
            batch = names[start : start + 500]
            referenced = set()
            for name in file_fields:
                referenced.update(Entry.objects.filter(**{f"{name}__in": batch}).values_list(name, flat=True))
            for path in batch:
                if path not in referenced and storage.get_modified_time(path) < written_before:
                    storage.delete(path)
                    deleted.append(path)
    return deleted
