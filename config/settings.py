"""Settings, read from the environment.

The defaults run the platform on one machine with nothing else installed: a SQLite file in
`var/`, tasks executed in-process, e-mail printed to the console. Production sets
`DJANGO_SETTINGS_MODULE=config.production` on top of these (see README, "Configuration").
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real deployments use the environment

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where certificates' QR codes and e-mails point to; the public address of the site.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens: stored as digests, expiring, revoked at sign-out
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the docs page's assets, served by us rather than a CDN
    "django_celery_beat",
    # ours, lowest layer first: nothing imports from an app listed after it
    "core",
    "people",
    "contests",
    "submissions",
    "judging",
    "results",
    "certificates",
    "screening",  # reads entries; holds entries back from judging through judging.hooks
    "privacy",  # children's data: guardians' consent (a hold on judging), retention, a person's own data
    "voting",  # the people's choice: reads entries and rounds, never writes a score
    "guide",  # reads only: what waits for each person (home, landing), above every other app
    "frontend",  # pages only; it talks to the others through the HTTP API
    "demo",
]

MIDDLEWARE = [
    "config.middleware.HealthCheckMiddleware",  # first: probes ask by address, over plain HTTP
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.limits.BodySizeLimitMiddleware",  # after the locale: its refusal is in the reader's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the one writer; IMMEDIATE makes a writer take the lock when
    # its transaction begins, so concurrent writers wait (up to `timeout`) instead of failing
    # with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests run on a file too, not in memory: shared-cache memory databases lock whole tables
    # and ignore the timeout, so concurrency tests would test something production never runs.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services open their own transactions
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the cache (throttles) and the broker --------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Seconds any one Redis command may wait (connecting, or for an answer): a Redis that is paused
# or unreachable without a refusal costs a request this much, at most three times for a task
# sent on commit (the publish, a reconnection, one retry), and not again for REDIS_RETRY_AFTER
# seconds: meanwhile throttles count in memory and queued tasks wait in the outbox (core.breaker).
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
REDIS_RETRY_AFTER = env.float("REDIS_RETRY_AFTER", default=10)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- People ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"  # shown in Vietnam time; stored in UTC (USE_TZ)
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
# Uploads live outside the static root and are never served by URL: only permission-checked
# views stream them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Request bodies, refused from their Content-Length before a byte is read (core.limits). JSON
# and forms: Django's 2.5 MB (an essay of 200,000 characters is ~600 KB of UTF-8). Uploads: the
# largest file a category may allow (Category.max_file_mb, at most 100) plus room for the
# form's other fields; an entry's endpoints hold it to its contest's own largest file. The
# proxy in front caps bodies too (README, "Running it for real").
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
UPLOAD_MARGIN_BYTES = 1024 * 1024
UPLOAD_MAX_BYTES = 100 * 1024 * 1024 + UPLOAD_MARGIN_BYTES
# How long a request's Idempotency-Key answers for it (core.idempotency).
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# For EMAIL_URL=filemail://: where the .log files go (an absolute path; the URL form loses its "/").
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Đại sứ Văn hóa đọc <no-reply@localhost>")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes "not signed in" a 401, not a 403.
        "core.authentication.TokenAuthentication",
        "core.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "core.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("AUTH_THROTTLE_RATE", default="30/minute"),
        "verify": env.str("VERIFY_THROTTLE_RATE", default="60/minute"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
# Scripts' tokens (`Authorization: Token <key>`, from POST /api/auth/token/): the database holds
# only a SHA-512 digest of each key; a key works for AUTH_TOKEN_TTL_DAYS from its sign-in, used
# or not, or until POST /api/auth/logout/ revokes it.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("AUTH_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đại sứ Văn hóa đọc — contest platform API",
    "DESCRIPTION": "Reading-culture contests: libraries, entries, judging, results, certificates.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ContestStatusEnum": "contests.enums.ContestStatus",
        "EntryStatusEnum": "submissions.enums.EntryStatus",
        "RoundStatusEnum": "contests.enums.RoundStatus",
        "AssignmentStateEnum": "judging.enums.AssignmentState",
        "AwardKindEnum": "results.enums.AwardKind",
        "NetworkKindEnum": "people.enums.NetworkKind",
        "RoleEnum": "people.enums.Role",
        "ScreeningRunStatusEnum": "screening.enums.RunStatus",
        "PairStatusEnum": "screening.enums.PairStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_error_responses",
    ],
}

# --- Celery ---------------------------------------------------------------------------------
# Without a broker, tasks run in-process right away; the code paths stay the same.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # progress lives in our own tables, not in a result backend
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged when it has finished ...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... and goes back to the queue if its worker dies
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, Redis redelivers a task not acknowledged within this time, so it must exceed
# the longest task and the longest countdown/ETA we ever schedule. One value for every use. It
# is the second way back for a dead worker's task; the first is the outbox's lease (core.outbox).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for unacknowledged tasks past that timeout (a dead worker's) and
    # queues them again: every interval x throttle seconds (kombu's defaults: 10 x 10).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # Without these, a publish to a paused Redis waits forever (its TCP connection is accepted).
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_timeout": REDIS_TIMEOUT,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
# One retry, at once: enough for a connection the broker closed (it restarted); more would only
# make a request wait longer on a broker that is down, whose tasks the outbox keeps anyway.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Judging --------------------------------------------------------------------------------
# Closing a national round ranks a million entries in one statement; PostgreSQL gets this much
# memory for its sorts in that one transaction (the server's default is 4MB).
JUDGING_CLOSE_WORK_MEM = env.str("JUDGING_CLOSE_WORK_MEM", default="512MB")
# Certificates rendered per task, on the "certificates" queue (its own workers).
CERTIFICATES_CHUNK = env.int("CERTIFICATES_CHUNK", default=250)
# Entrants told of a published result per e-mail batch (one task each).
RESULTS_NOTICE_BATCH = env.int("RESULTS_NOTICE_BATCH", default=200)
# Children's data (privacy app; Decree 13/2023/ND-CP Art. 20): under this age a parent's or
# guardian's consent comes before judging; a contest keeps its entrants' personal data this
# many days after publication unless it sets its own (winners, everyone else).
PRIVACY_MINOR_AGE = env.int("PRIVACY_MINOR_AGE", default=16)
PRIVACY_KEEP_WINNERS_DAYS = env.int("PRIVACY_KEEP_WINNERS_DAYS", default=365)
PRIVACY_KEEP_OTHERS_DAYS = env.int("PRIVACY_KEEP_OTHERS_DAYS", default=30)
PRIVACY_CONSENT_LINK_DAYS = env.int("PRIVACY_CONSENT_LINK_DAYS", default=14)

# A published result's public reads (results.caching): how long a proxy or CDN may answer from
# its copy without asking (0: it asks every time, and a 304 answers; an unpublish then shows at
# once), and how long this server keeps the JSON it built for one version (a new version is a
# new key: this only bounds the memory).
RESULTS_MAX_AGE = env.int("RESULTS_MAX_AGE", default=0)
RESULTS_CACHE_SECONDS = env.int("RESULTS_CACHE_SECONDS", default=15 * 60)

# bench/load_bench.py's baseline endpoint (core.bench), for its own server only; never in production.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# --- The outbox (core.outbox) ---------------------------------------------------------------
# A queued task the broker took but no worker started within this many seconds (the broker
# lost it) is sent again; the wait doubles with each send.
OUTBOX_RESEND_AFTER = env.int("OUTBOX_RESEND_AFTER", default=10 * 60)
# Runs of a task that keeps failing before it is left for someone to look at (admin: queued tasks).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
