"""Idempotency-Key: a request that creates something, sent again with the same key (its answer
was lost: a dropped connection, a timeout, a second tap), answers with what the first one made
instead of making it twice.

The key is claimed by a row written in the same transaction as what the request creates, under
a unique (user, key) constraint: the row exists exactly when the work committed. A retry
arriving later finds it before any other check (the deadline may have passed meanwhile); two
arriving together queue on the constraint (PostgreSQL makes the second insert wait for the
first transaction, SQLite's writers queue anyway), and the second answers as the first did. A
request that fails leaves no row, so its retry runs again. The same key with a different body
is the client's mistake: 422.

Without the header nothing changes: a key derived from the body would quietly merge two entries
a library means to send (two students' identical typed essays are not rare) and would hash
every upload; the pages send a key, scripts may.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.models import IdempotencyKey

HEADER = "Idempotency-Key"


class IdempotencyKeyInvalid(DomainError):
    code = "idempotency_key_invalid"
    default_message = _("The Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID.")


class IdempotencyKeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"
    default_message = _(
        "This Idempotency-Key was sent before with a different request; use a new key for a new submission."
    )


class RequestRepeated(Exception):
    """The request was made before with this key; `results` are the ids of what it created."""

    def __init__(self, results: list):
        super().__init__(results)
        self.results = results


@dataclass(frozen=True)
class RequestKey:
    key: str
    fingerprint: str


def request_key(request) -> RequestKey | None:
    """The request's Idempotency-Key and a digest of what it asks (method, path, body; uploads
    by their name and content), or None without the header. Reads the body."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not all("!" <= ch <= "~" for ch in key):
        raise IdempotencyKeyInvalid()
    data = request.data
    if hasattr(data, "lists"):  # a form: every value of every field
        data = {name: values for name, values in data.lists()}
    body = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False, default=str)
    fingerprint = hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()
    return RequestKey(key=key, fingerprint=fingerprint)


def _canonical(value):
    if hasattr(value, "chunks"):  # an upload: its name and a digest of its bytes
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if isinstance(value, dict):
        return {str(name): _canonical(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def _live(user, request_key: RequestKey):
    expired_before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    return IdempotencyKey.objects.filter(user=user, key=request_key.key, created_at__gte=expired_before)


def _answer_as_before(first: IdempotencyKey, request_key: RequestKey):
    if first.fingerprint != request_key.fingerprint:
        raise IdempotencyKeyReused()
    raise RequestRepeated(first.results)


def idempotency_check(*, user, request_key: RequestKey | None) -> None:
    """Before anything else: raises RequestRepeated if this key already made something."""
    if request_key is not None and (first := _live(user, request_key).first()) is not None:
        _answer_as_before(first, request_key)


def idempotency_claim(*, user, request_key: RequestKey | None) -> IdempotencyKey | None:
    """In the transaction that creates the request's objects, before creating them: claims the
    key, or raises RequestRepeated when a request with it committed meanwhile."""
    if request_key is None:
        return None
    expired_before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    IdempotencyKey.objects.filter(user=user, key=request_key.key, created_at__lt=expired_before).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=request_key.key, fingerprint=request_key.fingerprint)
    except IntegrityError:
        pass  # committed by a concurrent request with the same key (PostgreSQL waited for it)
    _answer_as_before(IdempotencyKey.objects.get(user=user, key=request_key.key), request_key)


def idempotency_claim_last(*, user, request_key: RequestKey | None, results: list) -> None:
    """The claim written once `results` are, in their transaction (the hot path of a
    submission: one INSERT, no savepoint, no second write). When a request with the same key
    committed first, or an expired key is still in the table, the INSERT fails and takes the
    caller's transaction with it; the caller then asks `idempotency_settle`."""
    if request_key is not None:
        IdempotencyKey.objects.create(
            user=user, key=request_key.key, fingerprint=request_key.fingerprint, results=results
        )


def idempotency_settle(*, user, request_key: RequestKey | None) -> bool:
    """After the caller's transaction failed on a constraint: raises RequestRepeated (or
    IdempotencyKeyReused) when the key was taken by a request that committed meanwhile; returns
    True when it held an expired key, now deleted (the caller runs again); False when the key is
    not what failed."""
    if request_key is None:
        return False
    first = IdempotencyKey.objects.filter(user=user, key=request_key.key).first()
    if first is None:
        return False
    if first.created_at < timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS):
        first.delete()
        return True
    _answer_as_before(first, request_key)


def idempotency_record(claim: IdempotencyKey | None, *, results: list) -> None:
    if claim is not None:
        claim.results = results
        claim.save(update_fields=["results"])


def idempotency_keys_prune() -> int:
    """Deletes keys past IDEMPOTENCY_KEY_HOURS; returns how many."""
    expired_before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=expired_before).delete()
    return deleted
