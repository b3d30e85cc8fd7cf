from django.core.management.base import BaseCommand, CommandError

from contests.enums import ContestStatus
from contests.models import Contest
from contests.permissions import results_frozen
from results.leaderboard import leaderboard_drift, leaderboard_refresh


class Command(BaseCommand):
    help = (
        "Compares every judged contest's stored leaderboard with a fresh computation, reports each "
        "difference, and rebuilds it (--check: report only, and fail when anything drifted). A "
        "published contest's board is never rebuilt: unpublish it first (audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report drift and fail on it; change nothing.")
        parser.add_argument("--contest", type=int, help="Only this contest.")

    def handle(self, *args, check: bool, contest: int | None, **options):
        contests = Contest.objects.filter(
            status__in=[ContestStatus.JUDGING, ContestStatus.PUBLISHED, ContestStatus.ARCHIVED]
        ).order_by("pk")
        if contest is not None:
            contests = Contest.objects.filter(pk=contest)
        drifted = 0
        for each in contests:
            drift = leaderboard_drift(each)
            self.stdout.write(f"contest {each.pk}: {len(drift)} differences")
            for line in drift:
                self.stdout.write(f"  {line}")
            drifted += bool(drift)
            if check or not drift:
                continue
            if results_frozen(each):
                # Nothing changes a published result but an unpublish, which is on record.
                self.stdout.write(f"  published: kept as published; unpublish contest {each.pk} to rebuild it")
                continue
            leaderboard_refresh(contest=each)
        if check and drifted:
            raise CommandError(f"{drifted} contests' leaderboards drifted; run without --check to rebuild them.")
