from datetime import datetime
from typing import Any

from django.db import models

from core.models import AuditEntry
from core.outbox import outbox_enqueue_on_commit


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        before=before,
        after=after,
        reason=reason,
    )


def audit_value(value: Any) -> Any:
    """A field's value as the audit log's JSON keeps it: rows by id, times in ISO 8601."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def task_enqueue_on_commit(task, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits, through the outbox (core.outbox): the
    work is written with the change, so the broker being down or hung at the commit neither
    undoes the write nor loses the work; the outbox's sweep sends it once the broker is back."""
    outbox_enqueue_on_commit(task, kwargs)
