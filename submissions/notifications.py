from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from submissions.models import Entry


def entry_mail(entry: Entry, *, kind: str) -> None:
    """The entrant's e-mails about an entry, in the entrant's language."""
    with translation.override(entry.entrant.language):
        facts = {
            "name": entry.entrant.full_name,
            "contest": entry.contest.title,
            "category": entry.category.name,
            "title": entry.title,
            "code": entry.code,
            "closes": timezone.localtime(entry.contest.submission_closes_at).strftime("%H:%M %d/%m/%Y"),
            "reason": entry.disqualification_reason,
            "site": settings.SITE_URL,
        }
        if kind == "receipt":
            subject = _("Entry received: {code}").format(**facts)
            message = _(
                "Hello {name},\n\nwe have received your entry “{title}” to {contest} ({category}).\n"
                "Its code is {code}. You can edit or withdraw it until {closes} (Vietnam time).\n\n{site}\n"
            ).format(**facts)
        else:
            subject = _("Entry disqualified: {code}").format(**facts)
            message = _(
                "Hello {name},\n\nyour entry “{title}” ({code}) to {contest} has been disqualified.\n"
                "Reason: {reason}\n\nIf you think this is a mistake, contact your library.\n"
            ).format(**facts)
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[entry.entrant.email])
