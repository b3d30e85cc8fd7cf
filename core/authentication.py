"""The browser's session authentication, with a CSRF refusal a person can read.

DRF's own says "CSRF Failed: CSRF token missing." in English whatever the language asked for;
the pages show an API's `detail` to the user as it comes.
"""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            raise exceptions.PermissionDenied(
                _("This page's security token is missing or out of date: reload the page and try again."),
                code="csrf_failed",
            ) from refused


class SessionAuthenticationScheme(SessionScheme):
    """The OpenAPI schema's cookie scheme, for this class as for DRF's (registered on import,
    which DRF's settings do before any schema is made)."""

    target_class = SessionAuthentication
