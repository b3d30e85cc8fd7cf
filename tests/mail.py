"""A mail server that fails: an e-mail backend of the tests' own (Django's in-memory one, which
refuses some messages), not a mock of the platform's code."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FailingMailServer(EmailBackend):
    """Refuses the `refuse`-th message it is given (counted over every connection), or every
    message from the `refuse`-th on when `refuse_after` is set."""

    given = 0
    refuse: int | None = None
    refuse_after = False

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            cls = type(self)
            cls.given += 1
            if cls.refuse is not None and (cls.given == cls.refuse or (cls.refuse_after and cls.given > cls.refuse)):
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            sent += super().send_messages([message])
        return sent


def mail_server_failing(settings, *, at: int, from_then_on: bool = False) -> None:
    settings.EMAIL_BACKEND = "tests.mail.FailingMailServer"
    FailingMailServer.given, FailingMailServer.refuse, FailingMailServer.refuse_after = 0, at, from_then_on
