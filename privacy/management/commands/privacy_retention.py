from django.core.management.base import BaseCommand

from privacy.retention import contests_due, retention_apply


class Command(BaseCommand):
    help = "Pseudonymise now what is past its kept time (beat does it daily), and say what was done."

    def handle(self, *args, **options):
        due = contests_due()
        if not due:
            self.stdout.write("Nothing is past its kept time.")
        for contest in due:
            report = retention_apply(contest=contest)
            self.stdout.write(
                f"{contest.title} (#{contest.pk}): {report.entries} entries pseudonymised "
                f"({report.winners} of them winners'), {report.files} files removed, "
                f"{report.people} people pseudonymised, {report.certificates} certificates still verifiable by code"
            )
