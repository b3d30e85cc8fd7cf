"""Publishing: now or at a set time, once however often asked, frozen until unpublished, and
every entrant told by e-mail in batches."""

from datetime import timedelta
from decimal import Decimal
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contests.enums import ContestStatus, RoundStatus
from core.models import AuditEntry
from judging.models import Assignment
from people.models import User
from results import publication
from results.models import Award, ResultNotice
from results.tasks import results_notify_task, results_publish_due_task
from tests.factories import AssignmentFactory, CriterionFactory, EntryFactory, JudgeFactory, RoundFactory
from tests.mail import mail_server_failing
from tests.results.helpers import api, ranking


def publish(client, contest, **body):
    return client.post(reverse("contest-publish", kwargs={"pk": contest.pk}), body, format="json")


def test_publishing_awards_the_prizes_freezes_and_tells_every_entrant_once(
    judged_contest, final_round, essays, tiers, places, organizer, settings, django_capture_on_commit_callbacks
):
    settings.RESULTS_NOTICE_BATCH = 2  # five entrants: three batches
    entries = ranking(final_round, essays, places.north_library, [1, 2, 3, 4, 5], title="e")

    with django_capture_on_commit_callbacks(execute=True):
        first = publish(api(organizer), judged_contest)
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(api(organizer), judged_contest)

    judged_contest.refresh_from_db()
    assert first.status_code == second.status_code == 200
    assert (
        first.json()
        == second.json()
        == {
            "status": "published",
            "published_at": timezone.localtime(judged_contest.published_at).isoformat(),
            "publish_at": None,
        }
    )
    assert judged_contest.status == ContestStatus.PUBLISHED
    assert Award.objects.filter(contest=judged_contest).count() == 5  # 1 + 2 + 3 places, 5 entries
    assert sorted(message.to[0] for message in mail.outbox) == sorted(entry.entrant.email for entry in entries)
    assert ResultNotice.objects.filter(contest=judged_contest).count() == 5
    assert AuditEntry.objects.filter(action="contest.published").count() == 1
    winner = next(message for message in mail.outbox if message.to == [entries[0].entrant.email])
    assert winner.subject == "Đã có kết quả Đại sứ Văn hóa đọc 2025"
    assert "Giải Nhất" in winner.body


def test_a_publication_at_a_set_time_waits_for_it(
    judged_contest, final_round, essays, tiers, places, organizer, django_capture_on_commit_callbacks
):
    ranking(final_round, essays, places.north_library, [1])
    at = timezone.now() + timedelta(hours=2)

    response = publish(api(organizer), judged_contest, publish_at=at.isoformat())
    too_early = publication.results_publish_due(now=at - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        on_time = publication.results_publish_due(now=at)
    judged_contest.refresh_from_db()

    assert response.status_code == 202
    assert response.json()["status"] == "judging"
    assert (too_early, on_time) == (0, 1)
    assert judged_contest.status == ContestStatus.PUBLISHED
    assert len(mail.outbox) == 1


def test_a_time_already_past_is_refused_and_publishes_nothing(judged_contest, final_round, essays, places, organizer):
    ranking(final_round, essays, places.north_library, [1])
    past = timezone.now() - timedelta(days=6)

    response = api(organizer).post(
        reverse("contest-publish", kwargs={"pk": judged_contest.pk}),
        {"publish_at": past.isoformat()},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    judged_contest.refresh_from_db()

    assert response.status_code == 400
    assert response.json() == {"publish_at": ["Hãy chọn một thời điểm trong tương lai, hoặc công bố ngay."]}
    assert (judged_contest.status, judged_contest.publish_at) == (ContestStatus.JUDGING, None)
    assert len(mail.outbox) == 0


def test_the_scheduled_publication_is_a_periodic_task_declared_in_code():
    from config.schedule import PERIODIC_TASKS

    assert PERIODIC_TASKS["results: publish the results scheduled for now"] == (
        "results.tasks.results_publish_due_task",
        {"minute": "*"},
    )
    assert results_publish_due_task.name == "results.tasks.results_publish_due_task"


def test_publishing_waits_for_the_final_round(judged_contest, organizer):
    RoundFactory(contest=judged_contest, order=1, status=RoundStatus.SCORING)

    response = publish(api(organizer), judged_contest)

    judged_contest.refresh_from_db()
    assert response.status_code == 409
    assert judged_contest.status == ContestStatus.JUDGING


def test_a_contest_is_not_published_by_patching_its_status(judged_contest, final_round, organizer):
    response = api(organizer).patch(
        reverse("contest-detail", kwargs={"pk": judged_contest.pk}), {"status": "published"}, format="json"
    )

    judged_contest.refresh_from_db()
    assert response.status_code == 409
    assert set(response.json()) == {"status"}
    assert judged_contest.status == ContestStatus.JUDGING


def test_after_publication_scores_and_prizes_are_frozen(judged_contest, essays, tiers, places, organizer):
    judging_round = RoundFactory(contest=judged_contest, order=1, status=RoundStatus.CLOSED)
    criterion = CriterionFactory(round=judging_round, max_score=Decimal(10))
    judge = JudgeFactory(round=judging_round).user
    assignment = AssignmentFactory(round=judging_round, judge=judge, entry=EntryFactory(category=essays))
    ranking(judging_round, essays, places.north_library, [1])
    publication.results_publish(actor=organizer, contest=judged_contest)
    judging_round.status = RoundStatus.SCORING  # even a round left scoring takes no marks now
    judging_round.save()

    score = api(judge).put(
        reverse("assignment-score", kwargs={"pk": assignment.pk}), {"marks": {str(criterion.pk): "5"}}, format="json"
    )
    awarding = api(organizer).post(reverse("contest-prizes", kwargs={"pk": judged_contest.pk}))
    closing = api(organizer).post(reverse("round-close", kwargs={"pk": judging_round.pk}), {}, format="json")

    assert (score.status_code, awarding.status_code, closing.status_code) == (409, 409, 409)
    assert not Assignment.objects.filter(pk=assignment.pk, score__isnull=False).exists()


def test_unpublishing_needs_a_reason_is_audited_and_unfreezes(
    judged_contest, final_round, essays, tiers, places, organizer
):
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    publication.results_publish(actor=organizer, contest=judged_contest)
    url = reverse("contest-unpublish", kwargs={"pk": judged_contest.pk})

    without = api(organizer).post(url, {"reason": ""}, format="json")
    response = api(organizer).post(url, {"reason": "Sai sót điểm bảng B"}, format="json")
    override = api(organizer).post(
        reverse("contest-award-override", kwargs={"pk": judged_contest.pk}),
        {"entry": entry.pk, "tier": tiers["Nhì"].pk, "reason": "Phúc khảo"},
        format="json",
    )

    judged_contest.refresh_from_db()
    assert without.status_code == 400
    assert response.status_code == 200
    assert response.json() == {"status": "judging", "published_at": None, "publish_at": None}
    assert override.status_code == 200
    audit = AuditEntry.objects.get(action="contest.unpublished")
    assert (audit.actor, audit.reason, audit.before["status"], audit.after) == (
        organizer,
        "Sai sót điểm bảng B",
        "published",
        {"status": "judging"},
    )


def test_publishing_again_after_unpublishing_tells_nobody_twice(
    judged_contest, final_round, essays, tiers, places, organizer, django_capture_on_commit_callbacks
):
    ranking(final_round, essays, places.north_library, [1, 2])
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)
    publication.results_unpublish(actor=organizer, contest=judged_contest, reason="Sửa tên thư viện")
    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)

    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="contest.published").count() == 2


def test_a_mail_server_failing_part_way_tells_nobody_twice_when_the_batch_runs_again(
    judged_contest, final_round, essays, tiers, places, organizer, settings
):
    settings.RESULTS_NOTICE_BATCH = 3  # ten entrants: four batches
    entries = ranking(final_round, essays, places.north_library, list(range(1, 11)))
    publication.results_publish(actor=organizer, contest=judged_contest)
    mail_server_failing(settings, at=5)  # the second message of the second batch

    with pytest.raises(SMTPServerDisconnected):
        results_notify_task.apply(kwargs={"contest_id": judged_contest.pk}, throw=True)
    told_before_the_failure = len(mail.outbox)
    results_notify_task.apply(kwargs={"contest_id": judged_contest.pk}, throw=True)

    assert told_before_the_failure == 4
    assert sorted(message.to[0] for message in mail.outbox) == sorted(entry.entrant.email for entry in entries)
    assert ResultNotice.objects.filter(contest=judged_contest).count() == 10


def test_an_entrant_without_an_e_mail_address_is_passed_over_not_a_failure(
    judged_contest, final_round, essays, tiers, places, organizer, django_capture_on_commit_callbacks
):
    paper, online = ranking(final_round, essays, places.north_library, [1, 2])
    User.objects.filter(pk=paper.entrant_id).update(email="")  # a paper entry's student

    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)

    assert [message.to for message in mail.outbox] == [[online.entrant.email]]
    assert ResultNotice.objects.filter(contest=judged_contest).count() == 2


def test_the_notice_is_in_the_entrants_language(
    judged_contest, final_round, essays, tiers, places, organizer, django_capture_on_commit_callbacks
):
    *_winners, entry = ranking(final_round, essays, places.north_library, [1, 2, 3, 4, 5, 6, 7])  # 6 prizes
    entry.entrant.language = "en"
    entry.entrant.save()

    with django_capture_on_commit_callbacks(execute=True):
        publication.results_publish(actor=organizer, contest=judged_contest)

    (message,) = [message for message in mail.outbox if message.to == [entry.entrant.email]]
    assert message.subject == "The results of Đại sứ Văn hóa đọc 2025 are out"
    assert "Thank you for taking part" in message.body


def test_a_published_contest_disqualifies_nobody(judged_contest, final_round, essays, tiers, places, organizer):
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    publication.results_publish(actor=organizer, contest=judged_contest)

    response = api(organizer).post(
        reverse("entry-disqualify", kwargs={"pk": entry.pk}), {"reason": "Đạo văn"}, format="json"
    )

    entry.refresh_from_db()
    assert response.status_code == 409
    assert entry.status == "submitted"
