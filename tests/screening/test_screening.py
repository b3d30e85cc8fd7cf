"""A run over built cases: what is flagged, what is not, against what."""

import unicodedata
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contests.enums import ContestStatus
from core.models import OutboxTask
from core.outbox import outbox_sweep
from screening import services
from screening.enums import PairStatus, RunStatus
from screening.models import Fingerprint, Pair, Run
from screening.tasks import screening_sweep_task
from submissions.enums import EntryStatus
from tests.factories import CategoryFactory, ContestFactory
from tests.screening import essays


def pairs_of(contest) -> dict[tuple[int, int], float]:
    return {(p.entry_id, p.other_id): float(p.similarity) for p in Pair.objects.filter(contest=contest)}


def test_a_run_flags_the_copies_and_not_the_honest_essay_on_the_same_book(contest, write, screen):
    original = write(essays.ORIGINAL)
    exact = write(essays.EXACT_COPY)
    introduction = write(essays.CHANGED_INTRODUCTION)
    paraphrased = write(essays.HALF_PARAPHRASED)
    honest = write(essays.HONEST)

    run = screen(contest)

    flagged = pairs_of(contest)
    assert run.status == RunStatus.DONE
    assert flagged[(original.pk, exact.pk)] == 1.0
    assert flagged[(original.pk, introduction.pk)] == 0.7595  # 401 shingles shared of 528
    assert flagged[(original.pk, paraphrased.pk)] == 0.3452  # 233 of 675
    assert not [pair for pair in flagged if honest.pk in pair]
    # The copies are alike among themselves too (each pair once, the lower id first), but for
    # the new introduction and the paraphrase, which share only sentences 3-11.
    assert set(flagged) == {
        (original.pk, exact.pk),
        (original.pk, introduction.pk),
        (original.pk, paraphrased.pk),
        (exact.pk, introduction.pk),
        (exact.pk, paraphrased.pk),
    }
    assert (run.entries, run.sources, run.pairs) == (5, 0, 5)
    assert set(Pair.objects.values_list("status", flat=True)) == {PairStatus.PENDING}


def test_a_copy_of_last_years_entry_is_flagged_against_its_copy_source(places, contest, write, screen, organizer):
    last_year = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED)
    winner = write(essays.ORIGINAL, category=CategoryFactory(contest=last_year))
    contest.copied_from = last_year  # this year's contest was made from last year's
    contest.save()
    copy = write(essays.CHANGED_INTRODUCTION)
    write(essays.HONEST)

    run = screen(contest)

    assert pairs_of(contest) == {(copy.pk, winner.pk): 0.7595}
    assert (run.entries, run.sources) == (2, 1)


def test_entries_of_earlier_years_are_not_paired_with_each_other(places, contest, write, screen, organizer):
    last_year = ContestFactory(network=places.north, status=ContestStatus.PUBLISHED)
    earlier = CategoryFactory(contest=last_year)
    write(essays.ORIGINAL, category=earlier)
    write(essays.EXACT_COPY, category=earlier)
    services.policy_update(actor=organizer, contest=contest, copy_sources=[last_year])
    write(essays.HONEST)

    screen(contest)

    assert pairs_of(contest) == {}


def test_case_and_unicode_form_do_not_hide_a_copy_but_diacritics_count(contest, write, screen):
    original = write(essays.ORIGINAL)
    shouted = write(unicodedata.normalize("NFD", essays.ORIGINAL.upper()))  # decomposed, capitals
    stripped = write("".join(c for c in unicodedata.normalize("NFD", essays.ORIGINAL) if not unicodedata.combining(c)))

    screen(contest)

    flagged = pairs_of(contest)
    assert flagged[(original.pk, shouted.pk)] == 1.0
    # Without its diacritics Vietnamese is other words ("đọc" is not "doc"): only the few
    # shingles without any diacritic remain, far under the threshold.
    assert (original.pk, stripped.pk) not in flagged


def test_withdrawn_entries_are_not_screened(contest, write, screen):
    write(essays.ORIGINAL)
    write(essays.EXACT_COPY, status=EntryStatus.WITHDRAWN)

    run = screen(contest)

    assert (run.entries, run.pairs) == (1, 0)


def test_an_edited_entry_gets_a_new_fingerprint_and_a_pair_no_longer_found_is_dropped(contest, write, screen):
    original = write(essays.ORIGINAL)
    copy = write(essays.EXACT_COPY)
    screen(contest)
    copy.body = essays.HONEST
    copy.save()  # updated_at moves: the fingerprint is stale

    run = screen(contest)

    assert pairs_of(contest) == {}
    fingerprint = Fingerprint.objects.get(entry=copy)
    assert (fingerprint.entry_updated_at, run.pairs) == (copy.updated_at, 0)
    assert original.screening_fingerprint.shingles == 466  # 470 words


def test_a_higher_threshold_keeps_only_the_closer_pairs(contest, write, screen, organizer):
    original = write(essays.ORIGINAL)
    introduction = write(essays.CHANGED_INTRODUCTION)
    write(essays.HALF_PARAPHRASED)
    services.policy_update(actor=organizer, contest=contest, threshold=Decimal("0.5"))

    run = screen(contest)

    assert pairs_of(contest) == {(original.pk, introduction.pk): 0.7595}
    assert str(run.threshold) == "0.50"


def test_a_video_only_entry_has_nothing_to_compare(contest, write, screen):
    video = write("", video_url="https://www.youtube.com/watch?v=abc")
    write(essays.ORIGINAL)

    run = screen(contest)

    assert (video.screening_fingerprint.shingles, run.entries) == (0, 1)


def test_the_sweep_fingerprints_new_and_changed_entries_once(contest, write):
    entry = write(essays.ORIGINAL)

    first, second = screening_sweep_task(), screening_sweep_task()

    assert (first, second, Fingerprint.objects.get(entry=entry).shingles) == (1, 0, 466)
    entry.body = essays.HONEST
    entry.save()
    assert screening_sweep_task() == 1


def test_the_sweep_leaves_contests_not_taking_or_judging_entries_alone(contest, write):
    write(essays.ORIGINAL)
    contest.status = ContestStatus.PUBLISHED
    contest.save()

    assert screening_sweep_task() == 0


def test_a_run_the_broker_missed_is_carried_out_by_the_outbox_once_it_is_back(
    contest, write, organizer, broker_down, django_capture_on_commit_callbacks
):
    write(essays.ORIGINAL)
    write(essays.EXACT_COPY)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(actor=organizer, contest=contest)
    broker_down.back()

    sent = outbox_sweep()

    run.refresh_from_db()
    assert (sent, run.status, run.pairs) == (1, RunStatus.DONE, 1)
    assert not OutboxTask.objects.exists()


def test_a_run_whose_worker_died_is_run_again_when_the_outbox_sends_it_again(contest, write, organizer):
    write(essays.ORIGINAL)
    write(essays.EXACT_COPY)
    run = services.run_start(actor=organizer, contest=contest)
    lost = timezone.now() - services.RUN_LOST_AFTER - timedelta(seconds=1)
    Run.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=lost)

    again = services.run_execute(run_id=run.pk)

    assert (again.status, again.pairs) == (RunStatus.DONE, 1)


def test_a_finished_run_is_not_run_again(contest, write, screen):
    write(essays.ORIGINAL)
    run = screen(contest)
    write(essays.EXACT_COPY)

    again = services.run_execute(run_id=run.pk)

    assert (again.status, again.pairs, again.finished_at) == (RunStatus.DONE, 0, run.finished_at)
