from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkKind(models.TextChoices):
    NATIONAL = "national", _("National body")
    ASSOCIATION = "association", _("Library association")
    PROVINCE = "province", _("Province or city")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    PLATFORM_ORGANIZER = "platform_organizer", _("Platform organizer")
    NETWORK_ORGANIZER = "network_organizer", _("Network organizer")
    LIBRARY_STAFF = "library_staff", _("Library staff")
    JUDGE = "judge", _("Judge")
    STUDENT = "student", _("Student")
