from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from judging.models import Judge


def reminder_mail(*, judge: Judge, pending: int) -> None:
    """The daily nudge, in the judge's language. It names no entrant: judging is blind."""
    with translation.override(judge.user.language):
        facts = {
            "name": judge.user.full_name,
            "round": judge.round.name,
            "contest": judge.round.contest.title,
            "pending": pending,
            "site": settings.SITE_URL,
        }
        subject = _("{pending} entries are waiting for your marks").format(**facts)
        message = _(
            "Hello {name},\n\n{pending} entries of {round} ({contest}) are waiting for your marks.\n"
            "Marks can be changed until the round closes.\n\n{site}\n"
        ).format(**facts)
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[judge.user.email])
