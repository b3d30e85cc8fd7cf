"""Random sequences of withdrawals, disqualifications, overrides, award runs, publications and
unpublications around a publication: after every step the stored leaderboard equals a fresh
recompute (`leaderboard_rebuild --check`), every awarded entry's rank is its prize's place, and
while the contest is published nothing it shows changes, neither a figure nor a row.

Reproducible: the examples are derandomized (the same ones on every run and every machine);
FROZEN_EXAMPLES=500 explores more of them."""

import os
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contests.enums import RESULTS_OUT
from core.errors import DomainError
from judging.models import RoundResult
from results import prizes, publication
from results.enums import AwardKind
from results.leaderboard import leaderboard_refresh
from results.models import Award
from results.selectors import standing
from submissions import services as entry_services
from submissions.enums import EntryStatus
from tests.factories import EntryFactory, LibraryFactory, StudentFactory
from tests.results.helpers import api
from tests.results.test_frozen import everything

EXAMPLES = int(os.environ.get("FROZEN_EXAMPLES", "15"))

entry_number = st.integers(0, 7)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("withdraw"), entry_number),
        st.tuples(st.just("disqualify"), entry_number),
        st.tuples(st.just("override"), entry_number, st.sampled_from([None, "Nhất", "Nhì", "Ba"])),
        st.tuples(st.just("award")),
        st.tuples(st.just("publish")),
        st.tuples(st.just("publish")),  # twice as likely: most steps then meet a published contest
        st.tuples(st.just("unpublish")),
    ),
    min_size=1,
    max_size=8,
)
# Final-round scores, per entry: equal scores share a rank, as closing ranks them.
scores = st.lists(st.tuples(st.integers(0, 1), st.integers(5, 9)), min_size=3, max_size=8)


def _built(places, contest, final_round, categories, score_specs) -> list:
    places.north_library.student_count = 40
    places.north_library.save()
    libraries = [places.north_library, LibraryFactory(network=places.north_province, student_count=7)]
    libraries.append(places.south_library)  # no student count: no participation rate
    entries = []
    for index, (category_index, score) in enumerate(score_specs):
        category = categories[category_index]
        entry = EntryFactory(category=category, entrant=StudentFactory(library=libraries[index % 3]), title=f"e{index}")
        higher = sum(1 for other_category, other in score_specs if other_category == category_index and other > score)
        RoundResult.objects.create(
            round=final_round, entry=entry, category=category, score=score, lowest=score, spread=0, judges=2,
            rank=higher + 1,
        )  # fmt: skip
        entries.append(entry)
    prizes.prizes_award(actor=None, contest=contest)
    leaderboard_refresh(contest=contest)  # as the close and the award run left it
    return entries


def _step(step, contest, entries, tiers, organizer):
    kind, *arguments = step
    if kind in ("withdraw", "disqualify", "override"):
        entry = entries[arguments[0] % len(entries)]
        entry.refresh_from_db()
    if kind == "withdraw":
        entry_services.entry_withdraw(actor=organizer, entry=entry)
    elif kind == "disqualify":
        entry_services.entry_disqualify(actor=organizer, entry=entry, reason="Vi phạm quy chế")
    elif kind == "override":
        tier = tiers[arguments[1]] if arguments[1] else None
        prizes.award_override(actor=organizer, contest=contest, entry_id=entry.pk, tier=tier, reason="Phúc khảo")
    elif kind == "award":
        prizes.prizes_award(actor=organizer, contest=contest)
    elif kind == "publish":
        publication.results_publish(actor=organizer, contest=contest)
    else:
        publication.results_unpublish(actor=organizer, contest=contest, reason="Sửa sai sót")


def _shown(contest, categories) -> dict:
    """Everything the public reads of the result: the ranking, prizes and leaderboards, as JSON
    and as CSV."""
    key = {"pk": contest.pk}
    shown = {
        "results": api(None).get(reverse("contest-results", kwargs=key), {"page_size": 200}).json(),
        "awards": api(None).get(reverse("contest-awards", kwargs=key), {"page_size": 200}).json(),
        "results.csv": b"".join(api(None).get(reverse("contest-results-csv", kwargs=key)).streaming_content),
    }
    for by in ("library", "network"):
        for category in [None, *categories]:
            query = {"by": by} | ({"category": category.pk} if category else {})
            shown[by, category and category.pk] = (
                api(None).get(reverse("contest-leaderboard", kwargs=key), query).json()
            )
        csv_response = api(None).get(reverse("contest-leaderboard-csv", kwargs=key), {"by": by})
        shown[by, "csv"] = b"".join(csv_response.streaming_content)
    return shown


def _rebuild_check(contest) -> None:
    out = StringIO()
    try:
        call_command("leaderboard_rebuild", "--check", "--contest", str(contest.pk), stdout=out)
    except CommandError:
        raise AssertionError(out.getvalue()) from None


def _ranks_are_prize_places(contest, final_round) -> None:
    places = {result.entry_id: result.place for result in standing(final_round)}
    for award in Award.objects.filter(contest=contest, kind=AwardKind.PRIZE, entry__status=EntryStatus.SUBMITTED):
        assert award.rank == places.get(award.entry_id), (award.entry_id, award.rank, places)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(score_specs=scores, sequence=steps)
def test_no_sequence_around_a_publication_bends_the_published_result(
    places, judged_contest, final_round, essays, videos, tiers, organizer, django_capture_on_commit_callbacks,
    score_specs, sequence,
):  # fmt: skip
    with transaction.atomic():
        categories = [essays, videos]
        entries = _built(places, judged_contest, final_round, categories, score_specs)
        published = None  # (what the public read, every row) as the publication left them
        for step in sequence:
            was_published = judged_contest.status in RESULTS_OUT
            try:
                with django_capture_on_commit_callbacks(execute=True):
                    _step(step, judged_contest, entries, tiers, organizer)
            except DomainError as refusal:
                if was_published and step[0] not in ("publish", "unpublish"):
                    assert refusal.code == "results_published", (step, refusal.message)
            judged_contest.refresh_from_db()

            _rebuild_check(judged_contest)
            _ranks_are_prize_places(judged_contest, final_round)
            if judged_contest.status not in RESULTS_OUT:
                published = None
            elif published is None:
                published = (_shown(judged_contest, categories), everything())
            else:
                assert (_shown(judged_contest, categories), everything()) == published, step
        transaction.set_rollback(True)
