import logging
from datetime import datetime
from functools import partial
from typing import Any

from django.db import models, transaction
from kombu.exceptions import OperationalError as BrokerError

from core.models import AuditEntry

logger = logging.getLogger(__name__)


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
    """Queue `task` once the current transaction commits.

    The broker being down must not undo or fail the write that queued it: the error is logged
    and the periodic sweep that every such task has finds the work again.
    """
    transaction.on_commit(partial(_task_send, task, kwargs))


def _task_send(task, kwargs: dict[str, Any]) -> None:
    try:
        task.apply_async(kwargs=kwargs)
    except (BrokerError, ConnectionError, OSError):
        logger.warning("broker unreachable, %s(%s) left for its sweep", task.name, kwargs, exc_info=True)
