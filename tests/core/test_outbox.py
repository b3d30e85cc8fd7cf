"""The outbox: work queued on commit is written with the change and reaches a worker however the
broker behaved at the commit; a failed task runs again later, a task leased by a live worker is
not run twice, and one that keeps failing is left for someone to look at.

The broker is `broker_down` (nothing listens); once it is "back", tasks run in-process as a worker
would run them. The fault suite (tests/faults) does the same with a real Redis and worker."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import OutboxTask
from core.outbox import outbox_sweep
from people.models import User
from people.tasks import welcome_email_send_task
from tests.mail import mail_server_failing


def register(places, username: str):
    return APIClient().post(
        reverse("auth-register"),
        {
            "username": username,
            "password": "Sach-hay-2026",
            "email": f"{username}@example.com",
            "full_name": "Đặng Thuỳ Dương",
            "library": places.north_library.pk,
        },
        format="json",
    )


def test_without_a_broker_tasks_run_at_commit_and_nothing_is_written(places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(places, "duongthuy")

    assert response.status_code == 201
    assert len(mail.outbox) == 1
    assert not OutboxTask.objects.exists()


def test_work_queued_while_the_broker_is_down_is_sent_once_it_is_back(
    places, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [register(places, f"hocsinh{number}") for number in range(3)]
    waiting = OutboxTask.objects.count()
    broker_down.back()

    swept = [outbox_sweep(), outbox_sweep()]

    assert [response.status_code for response in responses] == [201, 201, 201]
    assert waiting == 3
    assert swept == [3, 0]
    assert sorted(message.to[0] for message in mail.outbox) == [f"hocsinh{n}@example.com" for n in range(3)]
    assert not OutboxTask.objects.exists()


def test_a_task_that_fails_runs_again_after_a_pause_and_is_then_done(
    places, settings, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(places, "duongthuy")
    broker_down.back()
    mail_server_failing(settings, at=1)

    outbox_sweep()
    failed = OutboxTask.objects.get()
    too_soon = outbox_sweep()
    OutboxTask.objects.update(next_attempt_at=timezone.now())  # the pause has passed
    outbox_sweep()

    assert (failed.attempts, failed.leased_until) == (1, None)
    assert "SMTPServerDisconnected" in failed.error
    assert failed.next_attempt_at >= timezone.now() + timedelta(seconds=25)
    assert too_soon == 0
    assert [message.to for message in mail.outbox] == [["duongthuy@example.com"]]
    assert not OutboxTask.objects.exists()


def test_a_task_that_keeps_failing_is_left_with_its_error(places, settings, broker_down):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    user = register(places, "duongthuy").json()
    broker_down.back()
    mail_server_failing(settings, at=1, from_then_on=True)

    for _attempt in range(5):
        OutboxTask.objects.update(next_attempt_at=timezone.now())  # due: never sent, or its pause over
        outbox_sweep()

    left = OutboxTask.objects.get()
    assert (left.task, left.kwargs, left.attempts) == (
        "people.tasks.welcome_email_send_task",
        {"user_id": user["id"]},
        3,
    )
    assert "SMTPServerDisconnected" in left.error
    assert mail.outbox == []


def test_a_delivery_of_a_task_a_live_worker_holds_is_skipped_and_a_dead_workers_is_run(places, broker_down):
    user = User.objects.get(pk=register(places, "duongthuy").json()["id"])
    row = OutboxTask.objects.get()
    broker_down.back()
    OutboxTask.objects.update(leased_until=timezone.now() + timedelta(seconds=30))  # a worker runs it

    welcome_email_send_task.apply(kwargs=row.kwargs, headers={"outbox": row.pk})
    skipped = len(mail.outbox), OutboxTask.objects.filter(pk=row.pk).exists()
    dead = timezone.now() - timedelta(seconds=1)
    OutboxTask.objects.update(leased_until=dead, next_attempt_at=dead)  # ... and died: its lease ran out
    swept = outbox_sweep()

    user.refresh_from_db()
    assert skipped == (0, True)
    assert swept == 1
    assert user.welcomed_at is not None
    assert len(mail.outbox) == 1
    assert not OutboxTask.objects.exists()


def test_a_task_the_broker_took_is_sent_again_only_if_no_worker_ever_starts_it(settings, db):
    settings.OUTBOX_RESEND_AFTER = 600
    OutboxTask.objects.create(
        task="people.tasks.welcome_email_send_task", kwargs={"user_id": 1}, next_attempt_at=timezone.now()
    )
    sent_earlier = OutboxTask.objects.create(
        task="people.tasks.welcome_email_send_task",
        kwargs={"user_id": 2},
        next_attempt_at=timezone.now() + timedelta(seconds=600),
    )

    swept = outbox_sweep()

    assert swept == 1
    assert list(OutboxTask.objects.order_by("pk").values_list("pk", "sends")) == [(sent_earlier.pk, 0)]


def test_the_admin_lists_the_work_still_queued_with_its_error(admin_client):
    OutboxTask.objects.create(
        task="results.tasks.results_notify_task",
        kwargs={"contest_id": 7},
        next_attempt_at=timezone.now(),
        attempts=10,
        error="SMTPServerDisconnected('Connection unexpectedly closed')",
    )

    listing = admin_client.get(reverse("admin:core_outboxtask_changelist"))
    detail = admin_client.get(reverse("admin:core_outboxtask_change", args=[OutboxTask.objects.get().pk]))

    assert listing.status_code == detail.status_code == 200
    assert "results.tasks.results_notify_task" in listing.content.decode()
    assert "Connection unexpectedly closed" in detail.content.decode()
