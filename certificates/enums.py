from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    PRIZE = "prize", _("Prize")
    PARTICIPATION = "participation", _("Participation")
    JUDGE = "judge", _("Judge's appreciation")
    COLLECTIVE = "collective", _("Collective prize")


class JobStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
