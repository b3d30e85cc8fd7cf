"""Production profile: `DJANGO_SETTINGS_MODULE=config.production`.

Everything in `config.settings` still comes from the environment; this adds what a public
deployment behind a TLS-terminating proxy needs, and refuses to start without a real secret.
It passes `manage.py check --deploy --fail-level WARNING`.
"""

from .settings import *  # noqa: F403
from .settings import STORAGES, env

DEBUG = False
BENCH_ENDPOINTS = False  # the load bench's baseline endpoint (core.bench) is never routed here
SECRET_KEY = env.str("SECRET_KEY")  # no default: a missing key stops the start
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain to HTTPS in browsers for good; that is the domain
    # owner's decision (SECURE_HSTS_PRELOAD=true), not a default we may take for them.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
