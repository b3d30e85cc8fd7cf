from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN = [RunStatus.QUEUED, RunStatus.RUNNING]


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    NO_ISSUE = "no_issue", _("No issue")
    DISQUALIFIED = "disqualified", _("Disqualified")


class Decision(models.TextChoices):
    NO_ISSUE = "no_issue", _("No issue")
    DISQUALIFY = "disqualify", _("Disqualify")


class ExtractionError(models.TextChoices):
    UNREADABLE = "unreadable", _("The file could not be read")
    NO_TEXT = "no_text", _("The file has no text (a scan?)")
    TIMEOUT = "timeout", _("Reading the file took too long")
