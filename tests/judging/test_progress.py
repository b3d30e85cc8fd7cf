from datetime import date

from django.core import mail
from django.urls import reverse

from config.schedule import PERIODIC_TASKS
from contests.enums import RoundStatus
from judging import services
from judging.models import Assignment
from judging.tasks import judges_remind_task
from tests.factories import CategoryFactory
from tests.judging.helpers import api, assign, entries_of, mark, panel


def test_progress_counts_submitted_scores_per_judge_and_per_category(first_round, essays, places, organizer):
    videos = CategoryFactory(contest=first_round.contest, name="Video")
    entries_of(essays, places.north_library, 2)
    (video,) = entries_of(videos, places.north_library, 1)
    ann, binh = panel(first_round, 2)
    ann.full_name, binh.full_name = "An", "Bình"
    ann.save(), binh.save()
    assign(first_round, organizer)  # both judges on all three entries
    for assignment in Assignment.objects.filter(judge=ann).exclude(entry=video):
        mark(assignment, 5, 5)
    mark(Assignment.objects.get(judge=binh, entry=video), 5, 5)
    mark(Assignment.objects.get(judge=ann, entry=video), 1, submit=False)

    response = api(organizer).get(reverse("round-progress", kwargs={"pk": first_round.pk}))

    assert response.status_code == 200
    assert response.json() == {
        "done": 3,
        "total": 6,
        "judges": [
            {"user": ann.pk, "full_name": "An", "on_panel": True, "done": 2, "drafts": 1, "total": 3},
            {"user": binh.pk, "full_name": "Bình", "on_panel": True, "done": 1, "drafts": 0, "total": 3},
        ],
        "categories": [
            {"category": essays.pk, "name": "Bài viết", "done": 2, "total": 4},
            {"category": videos.pk, "name": "Video", "done": 1, "total": 2},
        ],
    }


def test_judges_with_pending_work_are_reminded_once_a_day(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 2)
    busy, done = panel(first_round, 2)
    assign(first_round, organizer)
    for assignment in Assignment.objects.filter(judge=done):
        mark(assignment, 5, 5)

    sent = judges_remind_task.delay().get()
    again = services.judges_remind()
    tomorrow = services.judges_remind(today=date(2099, 1, 2))

    assert (sent, again, tomorrow) == (1, 0, 1)
    assert [m.to for m in mail.outbox] == [[busy.email], [busy.email]]
    assert mail.outbox[0].subject == "2 bài dự thi đang chờ bạn chấm điểm"
    assert "Vòng sơ khảo (Đại sứ Văn hóa đọc 2025)" in mail.outbox[0].body


def test_no_reminder_for_a_closed_round(first_round, essays, places, organizer):
    entries_of(essays, places.north_library, 1)
    panel(first_round, 2)
    assign(first_round, organizer)
    first_round.status = RoundStatus.CLOSED
    first_round.save()

    assert (services.judges_remind(), mail.outbox) == (0, [])


def test_the_reminder_is_declared_in_the_schedule():
    assert PERIODIC_TASKS["judging: remind judges of the entries waiting for their marks"] == (
        "judging.tasks.judges_remind_task",
        {"minute": "0", "hour": "8"},
    )
