"""The Celery app. Its settings are the CELERY_* names in config.settings."""

import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
logger = logging.getLogger(__name__)

# Every task claims and clears its outbox row (core.outbox) when it was sent from one.
app = Celery("config", task_cls="core.outbox:OutboxAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class OutboxSweepOnConnect(bootsteps.StartStopStep):
    """Whenever a worker connects to the broker (it starts, or the broker is back after an
    outage) it queues the outbox's sweep, so that the work queued meanwhile starts now rather
    than at beat's next sweep."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        try:
            consumer.app.send_task("core.tasks.outbox_sweep_task")
        except Exception:
            logger.warning("could not queue the outbox's sweep; beat's next one will do", exc_info=True)


app.steps["consumer"].add(OutboxSweepOnConnect)
