from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentState(models.TextChoices):
    """Where a judge stands with one entry; a filter of the judge's queue."""

    PENDING = "pending", _("Not scored yet")
    DRAFT = "draft", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")
