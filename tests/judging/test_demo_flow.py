"""The issue's "done when": an organizer takes the demo contest from its submitted entries
through assignment, scoring and the closing of two rounds, the second judging only what the
first forwarded, everything through the HTTP API."""

from django.urls import reverse

from judging.models import RoundResult
from people.models import User
from tests.judging.helpers import api


def score_every_pending(judge: User) -> int:
    """The judge works through their queue as the frontend would: read, mark every criterion, submit."""
    client = api(judge)
    done = 0
    url = reverse("assignment-list") + "?state=pending&page_size=200"
    queue = client.get(url).json()["results"]
    for item in queue:
        detail = client.get(reverse("assignment-detail", kwargs={"pk": item["id"]})).json()
        criteria = client.get(reverse("round-detail", kwargs={"pk": detail["round"]})).json()["criteria"]
        marks = {str(c["id"]): float(c["max_score"]) * (0.5 + (item["id"] % 5) / 10) for c in criteria}
        marks = {key: round(value * 4) / 4 for key, value in marks.items()}
        response = client.put(
            reverse("assignment-score", kwargs={"pk": item["id"]}), {"marks": marks, "submit": True}, format="json"
        )
        assert response.status_code == 200, response.content
        done += 1
    return done


def test_an_organizer_takes_the_demo_contest_through_two_rounds(demo):
    first, final = demo.judging.rounds.all()
    client = api(demo.organizer)

    refused = client.post(reverse("round-close", kwargs={"pk": first.pk}))
    finished = score_every_pending(User.objects.get(username="giamkhao.01"))
    progress = client.get(reverse("round-progress", kwargs={"pk": first.pk})).json()
    closed = client.post(reverse("round-close", kwargs={"pk": first.pk}))
    assigned = client.post(reverse("round-assign", kwargs={"pk": final.pk}))
    final_scores = sum(score_every_pending(judge.user) for judge in final.judges.select_related("user"))
    final_closed = client.post(reverse("round-close", kwargs={"pk": final.pk}))
    results = client.get(reverse("round-results", kwargs={"pk": final.pk}), {"page_size": 200}).json()

    assert (refused.status_code, finished) == (409, 3)
    assert (progress["done"], progress["total"]) == (936, 936)
    assert closed.status_code == 200
    forwarded = set(RoundResult.objects.filter(round=first, advanced=True).values_list("entry__code", flat=True))
    assert closed.json()["advanced"] == len(forwarded) == 13 * 5  # top 5 of each of the 13 libraries
    assert assigned.json()["entries"] == 65 and assigned.json()["short"] == []
    assert final_scores == 65 * 5
    assert final_closed.status_code == 200 and final_closed.json()["left_out"] == []
    assert {r["code"] for r in results["results"]} == forwarded  # the final ranked only what was forwarded
    ranks = [(r["category"], r["rank"]) for r in results["results"]]
    assert ranks == sorted(ranks)
