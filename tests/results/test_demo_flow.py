"""The issue's "done when": the demo's published contest shows its result, prizes and
leaderboards to anyone; an organizer can take it back and publish it again at a set time."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contests.models import Contest
from results.leaderboard import leaderboard_drift
from results.models import Award
from results.tasks import results_publish_due_task
from tests.results.helpers import api


def test_seed_demo_publishes_last_years_contest_with_prizes_and_leaderboards(demo):
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: published once

    contest = Contest.objects.get(pk=demo.published.pk)
    results = api(None).get(reverse("contest-results", kwargs={"pk": contest.pk}), {"page_size": 200}).json()
    networks = api(None).get(reverse("contest-leaderboard", kwargs={"pk": contest.pk}), {"by": "network"}).json()

    assert contest.status == "published"
    assert [r.status for r in contest.rounds.all()] == ["closed", "closed"]
    assert results["count"] == 13 * 5  # the finalists: the top 5 of each library
    assert Award.objects.filter(contest=contest, kind="prize").count() == 65  # 4+8+16+32+64 per category: all
    first = results["results"][0]
    assert (first["rank"], first["prize"]) == (1, "Giải Đặc biệt")
    national = networks["results"][0]
    assert (national["rank"], national["unit"]["short_name"], national["entries"], national["winners"]) == (
        1,
        "BVHTTDL",
        104,
        65,
    )
    assert leaderboard_drift(contest) == []


def test_the_organizer_republishes_the_demo_contest_at_a_set_time(demo, django_capture_on_commit_callbacks):
    contest = demo.published
    client = api(demo.organizer)
    at = timezone.now() + timedelta(minutes=2)

    unpublished = client.post(reverse("contest-unpublish", kwargs={"pk": contest.pk}), {"reason": "Sửa tên giải"})
    hidden = api(None).get(reverse("contest-results", kwargs={"pk": contest.pk}))
    scheduled = client.post(reverse("contest-publish", kwargs={"pk": contest.pk}), {"publish_at": at.isoformat()})
    early = results_publish_due_task.apply().get()
    contest.publish_at = timezone.now()  # two minutes pass
    contest.save(update_fields=["publish_at"])
    with django_capture_on_commit_callbacks(execute=True):
        due = results_publish_due_task.apply().get()
    shown = api(None).get(reverse("contest-results", kwargs={"pk": contest.pk}))

    assert (unpublished.status_code, hidden.status_code, scheduled.status_code) == (200, 403, 202)
    assert (early, due) == (0, 1)
    assert shown.status_code == 200 and shown.json()["count"] == 65
