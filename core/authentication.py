"""How the API knows who asks: the browser's session, and scripts' tokens.

Sessions: DRF's, with a CSRF refusal a person can read (DRF's own says "CSRF Failed: CSRF token
missing." in English whatever the language asked for; the pages show an API's `detail` to the
user as it comes).

Tokens: django-rest-knox's (hashed, expiring, one per sign-in), sent as `Authorization: Token
<key>` as DRF's were.
"""

import re

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth as knox_auth
from rest_framework import authentication, exceptions

_TOKEN = re.compile(rb"[0-9A-Za-z_]{1,200}")


class TokenAuthentication(knox_auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        # knox decodes the key as UTF-8 and looks it up as given: a key of any other shape
        # (latin-1 bytes, a NUL) would be a 500 rather than the 401 it is.
        if not _TOKEN.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, the key from POST /api/auth/token/.",
        }


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
