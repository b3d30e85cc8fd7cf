"""Reads for screening: a contest's policy (with its defaults), the pairs, the texts compared."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from contests.models import Contest
from screening.enums import PairStatus
from screening.models import THRESHOLD_DEFAULT, Fingerprint, Pair, Policy, Run
from submissions.models import Entry

EARLIER_EDITIONS = 20  # how far back the chain of copies is followed


@dataclass
class PolicyView:
    threshold: Decimal
    hold_flagged: bool
    copy_sources: list[Contest]


def earlier_editions(contest: Contest) -> list[Contest]:
    """The contests this one was copied from, the newest first: last year's, the year before..."""
    found: list[Contest] = []
    seen = {contest.pk}
    current = contest
    while current.copied_from_id and current.copied_from_id not in seen and len(found) < EARLIER_EDITIONS:
        current = Contest.objects.get(pk=current.copied_from_id)
        seen.add(current.pk)
        found.append(current)
    return found


def policy_for(contest: Contest) -> PolicyView:
    policy = Policy.objects.filter(contest=contest).first()
    if policy is None:
        return PolicyView(threshold=THRESHOLD_DEFAULT, hold_flagged=False, copy_sources=earlier_editions(contest))
    return PolicyView(
        threshold=policy.threshold,
        hold_flagged=policy.hold_flagged,
        copy_sources=list(policy.copy_sources.order_by("-submission_opens_at", "-id")),
    )


def pair_counts(contest: Contest) -> dict[str, int]:
    counts = dict(
        Pair.objects.filter(contest=contest).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in PairStatus.values}


def run_latest(contest: Contest) -> Run | None:
    return Run.objects.filter(contest=contest).order_by("-created_at", "-id").first()


def pairs_with_entries(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    related = ["contest", "library", "entrant"]
    return pairs.select_related(
        *[f"entry__{name}" for name in related], *[f"other__{name}" for name in related]
    ).order_by("-similarity", "id")


def screened_text(body: str, attachment_text: str) -> str:
    """What is compared of an entry: its essay, then its attachment's text."""
    return "\n\n".join(part for part in (body.strip(), attachment_text.strip()) if part)


def screened_texts(entry_ids: list[int]) -> dict[int, str]:
    attachments = dict(Fingerprint.objects.filter(entry_id__in=entry_ids).values_list("entry_id", "attachment_text"))
    return {
        pk: screened_text(body, attachments.get(pk, ""))
        for pk, body in Entry.objects.filter(pk__in=entry_ids).values_list("pk", "body")
    }
