from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.schedule import PERIODIC_TASKS

MANAGED = "[declared in config/schedule.py] "


class Command(BaseCommand):
    help = "Write the periodic tasks declared in config/schedule.py into celery-beat's tables."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, when) in PERIODIC_TASKS.items():
            crontab = interval = None
            if "every" in when:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=when["every"], period=IntervalSchedule.SECONDS
                )
            else:
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=when.get("minute", "*"),
                    hour=when.get("hour", "*"),
                    day_of_week=when.get("day_of_week", "*"),
                    day_of_month=when.get("day_of_month", "*"),
                    month_of_year=when.get("month_of_year", "*"),
                    timezone=settings.CELERY_TIMEZONE,
                )
            PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": task,
                    "crontab": crontab,
                    "interval": interval,
                    "enabled": True,
                    "description": MANAGED,
                },
            )
        # A task removed from the declaration stops running, but its row stays for the record.
        stale = PeriodicTask.objects.filter(description=MANAGED).exclude(name__in=PERIODIC_TASKS)
        stale.update(enabled=False)
        self.stdout.write(f"periodic tasks: {len(PERIODIC_TASKS)} declared, {stale.count()} disabled")
