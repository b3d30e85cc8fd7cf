import re

from django.core import mail

from privacy import consent
from tests.clients import client_for
from tests.files import PDF  # noqa: F401  (a signed form's scan)


def api(user):
    return client_for(user)


def link_token(message) -> str:
    return re.search(r"/consent/([^/\s]+)/", message.body).group(1)


def consent_online(child, django_capture_on_commit_callbacks, *, publish: bool = False):
    """A guardian asked online, who confirms from the e-mailed link."""
    with django_capture_on_commit_callbacks(execute=True):
        asked = consent.guardian_consent_request(
            actor=child,
            child=child,
            guardian_name="Phạm Văn Ba",
            relation="father",
            guardian_email="ba@example.com",
        )
    token = link_token(mail.outbox[-1])
    consent.guardian_consent_confirm(token=token, publish=publish)
    asked.refresh_from_db()
    return asked
