"""Writes for people, networks and libraries."""

import re
import unicodedata

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from knox.models import AuthToken

from core.errors import DomainError, NotAllowed
from core.services import audit_record, audit_value, task_enqueue_on_commit
from core.text import code_point, has_visible_text
from people.models import Library, Network, User, username_skeleton
from people.permissions import can_add_library, can_add_network, can_manage_library, can_manage_network

_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '\-.]+[^\W\d_]+)*\.?$")


class UsernameTaken(DomainError):
    default_message = gettext_lazy("This username is already taken.")


class UsernameLookalike(DomainError):
    default_message = gettext_lazy(
        "This username looks too much like one already taken (0 and o, 1 and l, rn and m …); choose another."
    )


class EmailTaken(DomainError):
    default_message = gettext_lazy("An account with this e-mail address already exists.")


class NameTaken(DomainError):
    default_message = gettext_lazy("This name is already used.")


def text_clean(value: str) -> str:
    """NFC (what certificates and searches compare), with runs of white space folded."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def full_name_clean(value: str) -> str:
    name = text_clean(value)
    if len(name) < 2 or not _NAME_RE.match(name) or not has_visible_text(name):
        raise ValidationError(_("Enter your full name in letters, e.g. Nguyễn Thị Hường."), code="invalid")
    return name


def username_clean(value: str) -> str:
    """NFKC (as Django's own forms do: fullwidth "ｂａｎ" is "ban"), then one alphabet: Latin
    letters (Vietnamese ones too, and other accented Latin), the digits 0-9 and @ . + - _.
    A Cyrillic "а" in "bаntochuc" would pass for "bantochuc"; so would a name written wholly
    in Cyrillic or Greek letters that look Latin ("рое"), which a mixed-script check misses:
    the platform's people write Vietnamese, so other alphabets are refused outright."""
    username = unicodedata.normalize("NFKC", value)
    for ch in username:
        if ch.isalpha() or ch.isnumeric():
            base = unicodedata.normalize("NFD", ch)[0]
            latin = (base.isascii() and base.isalnum()) or ch in "đĐ"
            if not latin:
                raise ValidationError(
                    _(
                        "Usernames use Latin letters (Vietnamese ones too), the digits 0–9 and @ . + - _ only, "
                        "so that no name can pass for another: {char} is not one of them."
                    ).format(char=code_point(ch)),
                    code="invalid",
                )
    return username


def username_lookalike_exists(username: str) -> bool:
    """Whether an existing username reads the same once look-alikes are folded (people.models.
    username_skeleton), both sides computed by the database so that they fold alike."""
    return (
        User.objects.alias(skeleton=username_skeleton(models.F("username")))
        .filter(skeleton=username_skeleton(models.Value(username)))
        .exists()
    )


def student_register(
    *, username: str, password: str, email: str, full_name: str, library: Library, language: str
) -> User:
    user = User(
        username=username_clean(username),
        email=User.objects.normalize_email(email).strip(),
        full_name=full_name_clean(full_name),
        library=library,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    with transaction.atomic():
        if User.objects.filter(username__iexact=user.username).exists():
            raise UsernameTaken(field="username")
        if username_lookalike_exists(user.username):
            raise UsernameLookalike(field="username")
        if User.objects.filter(email__iexact=user.email).exists():
            raise EmailTaken(field="email")
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Another registration with the same username or e-mail committed in between.
            if User.objects.filter(username__iexact=user.username).exists():
                raise UsernameTaken(field="username") from None
            raise EmailTaken(field="email") from None
        audit_record(actor=user, action="user.registered", target=user, after={"library": library.pk})
        from people.tasks import welcome_email_send_task

        task_enqueue_on_commit(welcome_email_send_task, user_id=user.pk)
    return user


def auth_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A token for a script, and its key: the key is shown this once, the database keeps only
    its digest; it expires after AUTH_TOKEN_TTL_DAYS (REST_KNOX's TOKEN_TTL)."""
    return AuthToken.objects.create(user=user)


def auth_token_revoke(*, token: AuthToken) -> None:
    token.delete()


def auth_tokens_revoke_all(*, user: User) -> int:
    """Every token of the user (a key that leaked, a device lost); returns how many there were."""
    revoked, _by_model = AuthToken.objects.filter(user=user).delete()
    return revoked


def welcome_email_send(*, user_id: int) -> bool:
    """Send the welcome e-mail once. The row lock and `welcomed_at` make a second run (a
    retry, a sweep racing the first task) a no-op. Returns whether an e-mail went out."""
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .select_related("library")
            .filter(pk=user_id, welcomed_at__isnull=True)
            .first()
        )
        if user is None or not user.email:
            return False
        with translation.override(user.language):
            send_mail(
                subject=_("Welcome to the Reading Culture Ambassador contests"),
                message=_(
                    "Hello {name},\n\nyour account {username} is ready. Your library: {library}.\n"
                    "Sign in at {site} to take part in the contests.\n"
                ).format(
                    name=user.full_name,
                    username=user.username,
                    library=user.library or "—",
                    site=settings.SITE_URL,
                ),
                from_email=None,
                recipient_list=[user.email],
            )
        user.welcomed_at = timezone.now()
        user.save(update_fields=["welcomed_at"])
    return True


def network_create(*, actor: User, name: str, short_name: str = "", kind: str, parent: Network | None) -> Network:
    if not can_add_network(actor, parent):
        raise NotAllowed(_("You may only add networks below a network you organize."))
    name = text_clean(name)
    with transaction.atomic():
        if Network.objects.filter(parent=parent, name__iexact=name).exists():
            raise NameTaken(field="name")
        network = Network.objects.create(
            name=name, short_name=text_clean(short_name), kind=kind, parent=parent, path=""
        )
        network.path = f"{parent.path if parent else '/'}{network.pk}/"
        network.save(update_fields=["path"])
        audit_record(actor=actor, action="network.created", target=network, after={"name": name})
    return network


def network_update(*, actor: User, network: Network, **changes) -> Network:
    """Name, short name and kind. Moving a network in the tree is the platform's job, in the
    admin (network_move)."""
    if not can_manage_network(actor, network):
        raise NotAllowed()
    with transaction.atomic():
        before = {field: getattr(network, field) for field in changes}
        for field, value in changes.items():
            setattr(network, field, text_clean(value) if field != "kind" else value)
        if (
            "name" in changes
            and Network.objects.filter(parent_id=network.parent_id, name__iexact=network.name)
            .exclude(pk=network.pk)
            .exists()
        ):
            raise NameTaken(field="name")
        network.save()
        audit_record(actor=actor, action="network.updated", target=network, before=before, after=changes)
    return network


def network_move(*, actor: User, network: Network, parent: Network | None) -> Network:
    """Re-hang a network (and its subtree) under another parent; rewrites the paths below."""
    if not can_add_network(actor, parent) or not can_manage_network(actor, network):
        raise NotAllowed()
    with transaction.atomic():
        network = Network.objects.select_for_update().get(pk=network.pk)
        if parent is not None and parent.path.startswith(network.path):
            raise DomainError(_("A network cannot be moved below itself."), field="parent")
        old_path = network.path
        new_path = f"{parent.path if parent else '/'}{network.pk}/"
        for node in Network.objects.select_for_update().filter(path__startswith=old_path):
            node.path = new_path + node.path[len(old_path) :]
            node.save(update_fields=["path"])
        network.refresh_from_db()
        network.parent = parent
        network.save(update_fields=["parent"])
        audit_record(
            actor=actor,
            action="network.moved",
            target=network,
            before={"path": old_path},
            after={"path": new_path},
        )
    return network


def library_create(
    *, actor: User, name: str, short_name: str = "", network: Network, student_count: int | None = None
) -> Library:
    if not can_add_library(actor, network):
        raise NotAllowed(_("You may only add libraries to a network you organize."))
    name = text_clean(name)
    with transaction.atomic():
        if Library.objects.filter(name__iexact=name).exists():
            raise NameTaken(field="name")
        library = Library.objects.create(
            name=name, short_name=text_clean(short_name), network=network, student_count=student_count
        )
        audit_record(actor=actor, action="library.created", target=library, after={"name": name})
    return library


def library_update(*, actor: User, library: Library, **changes) -> Library:
    if not can_manage_library(actor, library):
        raise NotAllowed()
    if "network" in changes and not can_add_library(actor, changes["network"]):
        raise NotAllowed(_("You may only move a library to a network you organize."), field="network")
    with transaction.atomic():
        before = {field: audit_value(getattr(library, field)) for field in changes}
        for field, value in changes.items():
            setattr(library, field, text_clean(value) if field in ("name", "short_name") else value)
        if "name" in changes and Library.objects.filter(name__iexact=library.name).exclude(pk=library.pk).exists():
            raise NameTaken(field="name")
        library.save()
        after = {field: audit_value(getattr(library, field)) for field in changes}
        audit_record(actor=actor, action="library.updated", target=library, before=before, after=after)
    return library


class EmailConfirmationInvalid(DomainError):
    code = "email_confirmation_invalid"
    default_message = gettext_lazy(
        "This confirmation link is not valid, has expired or was sent to another address; ask for a new one."
    )


class EmailAlreadyConfirmed(DomainError):
    status_code = 409
    code = "email_already_confirmed"
    default_message = gettext_lazy("Your e-mail address is already confirmed.")


# The link carries the account and the address it was sent to, signed with the server's secret:
# no token table, and a link sent to an old address stops working once the address changes.
_EMAIL_CONFIRM_SALT = "people.email-confirm"
EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600


def email_confirmation_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=_EMAIL_CONFIRM_SALT, compress=True)


def email_confirmation_request(*, user: User) -> None:
    """Queue the e-mail with the confirmation link (sent again on each request: a lost e-mail)."""
    if user.email_verified_at is not None:
        raise EmailAlreadyConfirmed()
    from people.tasks import email_confirmation_send_task

    with transaction.atomic():
        audit_record(actor=user, action="user.email_confirmation_requested", target=user)
        task_enqueue_on_commit(email_confirmation_send_task, user_id=user.pk)


def email_confirmation_send(*, user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, email_verified_at__isnull=True).exclude(email="").first()
    if user is None:
        return False
    link = f"{settings.SITE_URL}/confirm-email/?token={email_confirmation_token(user=user)}"
    with translation.override(user.language):
        send_mail(
            subject=_("Confirm your e-mail address"),
            message=_(
                "Hello {name},\n\nopen this link to confirm that {email} is yours (valid for 3 days):\n{link}\n"
            ).format(name=user.full_name, email=user.email, link=link),
            from_email=None,
            recipient_list=[user.email],
        )
    return True


def email_confirm(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=_EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        raise EmailConfirmationInvalid(field="token") from None
    if not isinstance(data, dict):
        raise EmailConfirmationInvalid(field="token")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
        if user is None or user.email.lower() != data.get("e"):
            raise EmailConfirmationInvalid(field="token")
        if user.email_verified_at is None:  # opening the link twice is fine
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(actor=user, action="user.email_confirmed", target=user, after={"email": user.email})
    return user
