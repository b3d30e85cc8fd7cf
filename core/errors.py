"""Domain errors: raised by services, turned into 4xx JSON once, in core.api.exception_handler."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the platform understands and refuses. Subclasses set the status and message."""

    status_code = 400
    code = "invalid"
    default_message = _("The request cannot be carried out.")

    def __init__(self, message=None, *, field: str | None = None, data: dict | None = None):
        self.message = message or self.default_message
        self.field = field  # when set, the error is reported under this field's name
        # JSON-safe facts a client acts on (ids), sent beside the message; never a person's text.
        self.data = data or {}
        super().__init__(str(self.message))


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    default_message = _("This conflicts with the current state; reload and try again.")


class NotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"
    default_message = _("You do not have permission to perform this action.")
