"""The outbox: how every task queued on commit reaches a worker, whatever the broker does.

Queuing a task (core.services.task_enqueue_on_commit) writes an OutboxTask row in the caller's
transaction, so the work exists exactly when the change does. Once the transaction commits, the
row is handed to the broker (at most ~REDIS_TIMEOUT × 3 of waiting with a hung broker, then not
again for REDIS_RETRY_AFTER seconds: core.breaker). A worker running the task claims the row
for a lease, renews the lease while it works if the task is long (outbox_heartbeat), and
deletes the row when the task has returned.

`outbox_sweep` (every 30 s from beat, and whenever a worker connects to the broker) sends again:
- at once, what could not be sent (the broker down or hung at the commit);
- what a worker claimed and stopped renewing (killed): once its lease has passed;
- what failed, after a pause that doubles with each run (30 s ... an hour), up to
  OUTBOX_MAX_ATTEMPTS runs; the row then stays, with its error, for someone to look at;
- what the broker took but no worker ever started (a Redis that lost its data), after
  OUTBOX_RESEND_AFTER seconds, doubling with each send.
A task can therefore run twice (a message the sweep sent again arrives as well, a worker dies
after its work but before deleting the row): tasks are idempotent, and a second delivery of a
row that is done or leased by a live worker is skipped.

With no broker (task_always_eager: `make run`, most tests) tasks run in-process at commit, as
they always did, and no row is written.
"""

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.celery import app as celery_app
from core.breaker import Breaker, breaker_for

logger = logging.getLogger(__name__)

HEADER = "outbox"  # the message header naming the task's row
RETRY_FIRST, RETRY_MAX = 30, 60 * 60  # seconds before a failed task runs again: 30 s, doubling, an hour at most


def _broker() -> Breaker:
    return breaker_for(celery_app.conf.broker_url)


def outbox_enqueue_on_commit(task: Task, kwargs: dict[str, Any]) -> None:
    if celery_app.conf.task_always_eager:
        transaction.on_commit(partial(task.apply_async, kwargs=kwargs))
        return
    from core.models import OutboxTask

    now = timezone.now()
    broker_up = _broker().closed()
    # Expected to be sent on commit: the sweep looks at it again only if no worker ever starts it.
    wait = timedelta(seconds=settings.OUTBOX_RESEND_AFTER) if broker_up else timedelta(0)
    row = OutboxTask.objects.create(task=task.name, kwargs=kwargs, next_attempt_at=now + wait)
    if broker_up:
        transaction.on_commit(partial(_send_after_commit, task.name, row.pk, kwargs))


def _publish(task_name: str, row_id: int, kwargs: dict[str, Any]) -> None:
    if task_name not in celery_app.tasks:
        celery_app.loader.import_default_modules()  # every app's tasks.py (a worker has them already)
    # The task's own options (its queue) apply: apply_async, not send_task.
    celery_app.tasks[task_name].apply_async(kwargs=kwargs, headers={HEADER: row_id})


def _send_after_commit(task_name: str, row_id: int, kwargs: dict[str, Any]) -> None:
    """The write has committed: whatever happens here must not fail or hold up the request."""
    from core.models import OutboxTask

    broker = _broker()
    if broker.closed():
        try:
            _publish(task_name, row_id, kwargs)
            return
        except Exception as error:  # a broker down, hung, refusing: the sweep sends it
            broker.trip(error)
    OutboxTask.objects.filter(pk=row_id).update(next_attempt_at=timezone.now())


def outbox_sweep(*, limit: int = 500) -> int:
    """Sends again every queued task that is due (see the module's docstring); returns how many.
    Sweeps may run at the same time (beat's, a reconnecting worker's): each takes its rows
    under a row lock it does not wait for."""
    from core.models import OutboxTask

    broker, sent = _broker(), 0
    while broker.closed():
        now = timezone.now()
        with transaction.atomic():
            due = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(next_attempt_at__lte=now, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
                .order_by("next_attempt_at", "id")[:limit]
            )
            for row in due:
                row.sends += 1
                row.leased_until = None
                wait = settings.OUTBOX_RESEND_AFTER * 2 ** min(row.sends - 1, 6)
                row.next_attempt_at = now + timedelta(seconds=wait)
            OutboxTask.objects.bulk_update(due, ["sends", "leased_until", "next_attempt_at"])
        for index, row in enumerate(due):
            try:
                _publish(row.task, row.pk, row.kwargs)
            except KeyError:
                logger.error("queued task %s names no known task: %s", row.pk, row.task)
                OutboxTask.objects.filter(pk=row.pk).update(
                    attempts=settings.OUTBOX_MAX_ATTEMPTS, error=f"no task named {row.task}"
                )
            except Exception as error:
                broker.trip(error)
                unsent = [other.pk for other in due[index:]]
                OutboxTask.objects.filter(pk__in=unsent).update(next_attempt_at=now)
                return sent
            else:
                sent += 1
        if len(due) < limit:
            break
    return sent


# --- the worker's side -------------------------------------------------------------------------


@dataclass
class _Lease:
    row_id: int
    until: datetime
    seconds: int
    renewed: float  # time.monotonic() of the last renewal


_lease: ContextVar[_Lease | None] = ContextVar("outbox_lease", default=None)


def _claim(row_id: int, seconds: int) -> _Lease | None:
    from core.models import OutboxTask

    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    claimed = (
        OutboxTask.objects.filter(pk=row_id)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=until, next_attempt_at=until, attempts=F("attempts") + 1)
    )
    return _Lease(row_id, until, seconds, time.monotonic()) if claimed else None


def _release_failed(lease: _Lease, error: BaseException) -> None:
    from core.models import OutboxTask

    mine = OutboxTask.objects.filter(pk=lease.row_id, leased_until=lease.until)
    attempts = mine.values_list("attempts", flat=True).first()
    if attempts is None:
        return  # done meanwhile, or taken over by another worker
    wait = min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_MAX)
    mine.update(leased_until=None, next_attempt_at=timezone.now() + timedelta(seconds=wait), error=repr(error)[:2000])
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error("queued task %s failed %s times and is left for someone to look at", lease.row_id, attempts)


def outbox_heartbeat() -> None:
    """Renews the running task's lease; long tasks call it often (it writes at most every third
    of the lease), outside any transaction of theirs. A no-op outside an outbox task."""
    from core.models import OutboxTask

    lease = _lease.get()
    if lease is None or time.monotonic() - lease.renewed < lease.seconds / 3:
        return
    until = timezone.now() + timedelta(seconds=lease.seconds)
    OutboxTask.objects.filter(pk=lease.row_id, leased_until=lease.until).update(
        leased_until=until, next_attempt_at=until
    )
    lease.until, lease.renewed = until, time.monotonic()


def outbox_current_done() -> None:
    """Deletes the running task's row now, inside the caller's transaction: a task that queues its
    follow-up work marks itself done in the same commit, so that a crash between the two neither
    loses the follow-up nor queues it twice. A no-op outside an outbox task."""
    from core.models import OutboxTask

    lease = _lease.get()
    if lease is not None:
        OutboxTask.objects.filter(pk=lease.row_id).delete()


def _row_of(request) -> int | None:
    row_id = getattr(request, HEADER, None)  # a worker's request carries custom headers as attributes
    if row_id is None and request.headers:  # an eager one keeps them in `headers`
        row_id = request.headers.get(HEADER)
    return row_id


class OutboxAwareTask(Task):
    """Every task of the app (config.celery): a task sent from the outbox claims its row before
    it runs, and deletes it when it has returned."""

    # Seconds a run holds its row before its worker is taken for dead. Longer than the task
    # takes, unless it renews the lease as it goes (outbox_heartbeat).
    outbox_lease = 5 * 60

    def __call__(self, *args, **kwargs):
        row_id = _row_of(self.request)
        if row_id is None:
            return super().__call__(*args, **kwargs)
        lease = _claim(row_id, self.outbox_lease)
        if lease is None:
            logger.info("%s: queued task %s is done or running elsewhere; skipped", self.name, row_id)
            return None
        token = _lease.set(lease)
        try:
            result = super().__call__(*args, **kwargs)
        except BaseException as error:
            _release_failed(lease, error)
            raise
        finally:
            _lease.reset(token)
        from core.models import OutboxTask

        OutboxTask.objects.filter(pk=row_id).delete()
        return result
