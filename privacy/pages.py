"""The page a guardian opens from the e-mail: the exact text, a separate box for publishing the
child's name, and a button. Plain HTML, no script."""

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from core.pages import content_security_policy
from privacy import consent


@require_http_methods(["GET", "POST"])
@content_security_policy
def consent_page(request, token: str):
    try:
        found = consent.consent_from_token(token)
    except consent.ConsentLinkInvalid as error:
        return render(request, "privacy/consent.html", {"error": error.message}, status=400)
    if request.method == "POST":
        found = consent.guardian_consent_confirm(token=token, publish=request.POST.get("publish") == "on")
    with translation.override(found.child.language):
        publish_text = found.publish_text or consent.publish_text(child=found.child)
    return render(request, "privacy/consent.html", {"consent": found, "publish_text": publish_text, "token": token})
