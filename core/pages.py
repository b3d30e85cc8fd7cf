"""What the plain HTML pages share (the frontend's shells, the certificate check, the admin's
sign-in): the site's Content-Security-Policy, and the API's throttles.

'self' only: scripts, styles, fetches and images come from this site; inline scripts, inline
styles, eval, plugins, <base> and framing are refused. The API docs page (Swagger) runs inline
scripts of its own and does not carry it.
"""

from functools import wraps
from math import ceil
from types import SimpleNamespace

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    return wrapped


def throttle_wait(request, *, throttle_classes, scope: str) -> int | None:
    """Runs an API view's throttles for a plain Django view: the same classes, scope and cache
    keys, so that a page and its API endpoint count against one budget per client (an attacker
    gains nothing by alternating). Returns the seconds to wait when refused, else None."""
    view = SimpleNamespace(throttle_scope=scope)
    waits = []
    for throttle_class in throttle_classes:
        throttle = throttle_class()
        if not throttle.allow_request(request, view):
            waits.append(throttle.wait() or 1)
    return ceil(max(waits)) if waits else None
