from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

from people.enums import NetworkKind


class Network(models.Model):
    """A body that runs contests over libraries: the national body, an association such as
    NALA, a province. Networks form a tree; an organizer of one runs everything below it."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NetworkKind.choices, default=NetworkKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of ids, "/1/4/9/": every descendant's path starts with this one's, so
    # "this network and everything below it" is one indexed prefix query, at any depth.
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="network_name_unique_per_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Library(models.Model):
    """A school, university or public library: it mobilizes entrants and gets the credit."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="libraries")
    student_count = models.PositiveIntegerField(
        _("number of students"),
        null=True,
        blank=True,
        help_text=_("Students the library serves; gives the participation rate on leaderboards."),
    )

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        ordering = ["name"]

    def __str__(self):
        return self.name


# Characters that read alike in most fonts, folded in this order (I before lowering, where it
# becomes i): "bant0chuc", "bantochuc" and "BANTOCHUC" share one skeleton. A small, hand-picked
# part of Unicode's confusables: usernames are Latin letters, digits and @ . + - _ only.
_LOOKALIKES_AFTER_LOWER = [("0", "o"), ("1", "l"), ("rn", "m"), ("vv", "w")]


def username_skeleton(username: models.Expression) -> models.Expression:
    skeleton = Lower(Replace(username, models.Value("I"), models.Value("l")))
    for seen, read_as in _LOOKALIKES_AFTER_LOWER:
        skeleton = Replace(skeleton, models.Value(seen), models.Value(read_as))
    return skeleton


class User(AbstractUser):
    first_name = None  # Vietnamese names do not split into first/last the way Django assumes
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email address"))
    library = models.ForeignKey(
        Library, verbose_name=_("library"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the platform sends this person."),
    )
    welcomed_at = models.DateTimeField(_("welcome e-mail sent at"), null=True, blank=True, editable=False)
    # Set when the person opened the confirmation link sent to `email` (people.services.
    # email_confirm); cleared when the address changes. The public vote counts only these.
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True, editable=False)

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
        ]
        indexes = [models.Index(username_skeleton(models.F("username")), name="user_username_skeleton")]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username


class NetworkOrganizer(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="organizer_roles")
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="organizers")

    class Meta:
        verbose_name = _("network organizer")
        verbose_name_plural = _("network organizers")
        constraints = [models.UniqueConstraint(fields=["user", "network"], name="network_organizer_unique")]

    def __str__(self):
        return f"{self.user} — {self.network}"


class LibraryStaff(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_roles")
    library = models.ForeignKey(Library, verbose_name=_("library"), on_delete=models.CASCADE, related_name="staff")

    class Meta:
        verbose_name = _("library staff member")
        verbose_name_plural = _("library staff")
        constraints = [models.UniqueConstraint(fields=["user", "library"], name="library_staff_unique")]

    def __str__(self):
        return f"{self.user} — {self.library}"
