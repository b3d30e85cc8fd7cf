from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DISQUALIFIED = "disqualified", _("Disqualified")


# What counts against an entrant's quota: a withdrawn entry frees its place, a disqualified one
# does not (else disqualification would be a way round the quota).
QUOTA_STATUSES = [EntryStatus.SUBMITTED, EntryStatus.DISQUALIFIED]
