from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Online, confirmed by the guardian from an e-mail")
    PAPER = "paper", _("On paper, checked by the library")


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other relative")


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an organizer")
    DONE = "done", _("Carried out")


class ErasureCause(models.TextChoices):
    RETENTION = "retention", _("Kept time over")
    REQUEST = "request", _("Asked for by the person")
