from django.core.management.base import BaseCommand, CommandError

from submissions.files import AttachmentInvalid
from submissions.models import Entry
from submissions.services import entry_blind_attachment_make


class Command(BaseCommand):
    help = (
        "Makes the judges' copy (without its author's metadata) of every attachment sent before "
        "there were copies. Safe to run at every deploy: entries that have one are left alone. A file "
        "that would be refused today gets no copy; its judges are told it is not ready (409), and "
        "the entrant should send it again. --check: change nothing, fail if any entry lacks a copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report entries without a copy; change nothing.")

    def handle(self, *args, check: bool, **options):
        missing = Entry.objects.exclude(attachment="").filter(blind_attachment="").select_related("contest")
        made, failed, last = 0, [], 0
        while batch := list(missing.filter(pk__gt=last).order_by("pk")[:200]):
            for entry in batch:
                last = entry.pk
                if check:
                    failed.append(f"{entry.code}: no copy for the judges")
                    continue
                try:
                    entry_blind_attachment_make(entry=entry)
                except AttachmentInvalid as refused:
                    failed.append(f"{entry.code}: {refused.message}")
                except FileNotFoundError:
                    failed.append(f"{entry.code}: the stored file is missing ({entry.attachment.name})")
                else:
                    made += 1
        if not check:
            self.stdout.write(f"judges' copies made: {made}; entries still without one: {len(failed)}")
        for line in failed:
            self.stderr.write(f"  {line}")
        if check and failed:
            raise CommandError(f"entries without a copy for the judges: {len(failed)}; run attachments_blind_copy.")
