from celery import shared_task

from contests.enums import ContestStatus
from screening import services
from submissions.enums import EntryStatus
from submissions.models import Entry


@shared_task(acks_late=True, outbox_lease=services.RUN_LEASE_SECONDS)
def screening_run_task(*, run_id: int) -> None:
    services.run_execute(run_id=run_id)  # a no-op for a run already finished


@shared_task
def screening_sweep_task() -> int:
    """Every minute: fingerprints for the entries sent or changed since the last sweep (in the
    contests taking entries or being judged). Runs the broker missed come back through the
    outbox, like every queued task."""
    live = Entry.objects.filter(
        contest__status__in=[ContestStatus.OPEN, ContestStatus.CLOSED, ContestStatus.JUDGING],
        status=EntryStatus.SUBMITTED,
    )
    return services.fingerprints_refresh(entries=live, seconds=services.SWEEP_SECONDS)
