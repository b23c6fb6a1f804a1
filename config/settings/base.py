"""Settings shared by every environment; values come from environment variables."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .database import default_database, replica_database

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so translated fields show there
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_otp",  # two-factor sign-in: the device model and TOTP verification
    "django_otp.plugins.otp_totp",
    "django_filters",
    "simple_history",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "clusters",
    "bsos",
    "firms",
    "calls",
    "surveys",
    "programs",
    "accounts",
    "scorecards",
    "notifications",  # the inbox and its e-mails; monitoring writes them
    "monitoring",
    "plans",  # competitiveness plans: read the actuals, link activities to actions
    "dashboards",  # role dashboards (pages only): the top layer
    "public",  # publication choices and what anyone may see (IATI): the top layer
    "demo",  # seed_demo and demo_logins; depends on every app, nothing depends on it
]

MIDDLEWARE = [
    # /health/ first: before the host check and the HTTPS redirect, and no log line per probe
    "core.health.HealthCheckMiddleware",
    "core.request_id.RequestIdMiddleware",  # every other answer and log line carries an id
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Headers on every answer. Scripts and styles come only from our static files (no inline
# code: templates keep theirs in static/js and static/css); SVG charts are inline markup,
# Swagger UI's icons data: URLs. No framing, by anyone.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Embedded default: an SQLite file next to the code. Set DATABASE_URL for PostgreSQL, and
# DATABASE_POOL for a connection pool there.
DATABASES = {
    "default": default_database(
        env=env, url_default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    ),
}
# DATABASE_REPLICA_URL: a streaming replica the dashboards read (core.routers).
if replica := replica_database(env=env, default=DATABASES["default"]):
    DATABASES["replica"] = replica
READ_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]
# How long a result computed from the replica stays cached: longer than the replica's lag.
REPLICA_RESULT_SECONDS = env.int("REPLICA_RESULT_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard-home"  # dashboards.views.home.home: each role to its dashboard
LOGOUT_REDIRECT_URL = "directory"

# Argon2 first: new and changed passwords are hashed with it; a password kept by an older
# hasher below still verifies and is re-hashed with Argon2 at its next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt", _("Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates read "30 Oct 2026" and times "15:44" in every language (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = env("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files (activity attachments): stored under random names outside the static root and
# never served by URL, only through views that check the user's scope.
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
ACTIVITY_ATTACHMENT_MAX_BYTES = env.int("ACTIVITY_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# An activity spreadsheet with more rows than this is imported by a Celery task (the page
# shows its progress) instead of within the request (monitoring.activities.jobs).
ACTIVITY_IMPORT_BACKGROUND_ROWS = env.int("ACTIVITY_IMPORT_BACKGROUND_ROWS", default=300)

# How many proxies in front of the app append to X-Forwarded-For: the client's address (counted
# by the sign-in throttle) is read that far from the right. 0: the connection's own address.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # No HTTP Basic: hashing a password on every request costs ~0.5 s of CPU.
        # Token first, so that an unauthenticated request answers 401 (not 403).
        "accounts.tokens.authentication.ApiTokenAuthentication",  # hashed, expiring tokens
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "accounts.filters.ScopedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.DefaultPagination",
    # drf-spectacular's, with every operation's error answers (400/401/403/404/409)
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.ErrorAnsweringSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "PAGE_SIZE": 50,
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clusterboard API",
    "DESCRIPTION": (
        "Cluster development programs: clusters, BSOs, governance, scorecards.\n\n"
        'Conventions (docs/architecture.md, "The API"):\n\n'
        "- **Lists** answer `{count, next, previous, results}`; follow `next` until it is null. "
        "Small lists page by `?page=`; rollups and activities by an opaque `?cursor=` taken "
        "from a link, with `count` null.\n"
        "- **Percent-like numbers** (rates, achievement, scores, thresholds, shares of yes, "
        "progress) are percentages 0-100 as decimal strings, in fields ending `_percent`. KPI "
        "values (value, target, baseline) are in the KPI's own unit, as entered.\n"
        "- **Errors**: 400 `{field: [messages]}`; else `{detail}`: 401 not signed in, 403 the "
        "role may not, 404 not in your scope, 409 a conflict.\n"
        "- **PATCH** changes only the fields sent."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClusterStatusEnum": "clusters.models.Cluster.Status",
        "ActionItemStatusEnum": "clusters.models.ActionItem.Status",
        "KPIStatusEnum": "scorecards.models.KPI.Status",
        "TemplateStatusEnum": "scorecards.models.Template.Status",
        "ReportStateEnum": "monitoring.models.Report.State",
        "ClusterTypeEnum": "clusters.models.ClusterType",
        "InitiativeOriginEnum": "clusters.models.InitiativeOrigin",
        "SectorFamilyEnum": "clusters.models.SectorFamily",
        "SexEnum": "clusters.models.Sex",
        "RespondentSexEnum": "surveys.models.Sex",
    },
}

# Celery: with REDIS_URL a real broker and worker; without it tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
# Every Redis call (cache and broker) gives up after this long: a hung Redis costs a request a
# fraction of a second, never gunicorn's timeout. The cache is then skipped for a while
# (core.cache), and a message that could not be published is not needed: the stale marker is
# in the database and the beat sweep finds it.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.25)

# Cache (core.cache: dashboards and big API lists, keyed by a data version that every committed
# write moves). With REDIS_URL, Redis, shared by every web and worker process; without it, a
# local-memory cache per process (the embedded default runs one process).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "clusterboard",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "clusterboard",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# The longest a cached result lives (a safety net: the data version already retires it).
RESULT_CACHE_SECONDS = env.int("RESULT_CACHE_SECONDS", default=600)
# RESULT_CACHE=false computes every page and list anew (bench/load.py measures pages so).
RESULT_CACHE = env.bool("RESULT_CACHE", default=True)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# At-least-once delivery: a task is acknowledged after it ran, so a killed worker's task is
# delivered again (tasks recompute from source, so a second run is harmless); one task at a
# time per worker process; Redis redelivers an unacknowledged task only after the visibility
# timeout, which is set from the longest task: a year of a full recompute, killed at
# ROLLUP_TASK_TIME_LIMIT seconds (about 2.5 s a year on the benchmark's 5000 clusters).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
ROLLUP_TASK_TIME_LIMIT = env.int("ROLLUP_TASK_TIME_LIMIT", default=600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * ROLLUP_TASK_TIME_LIMIT,
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
# A publish is tried twice (a pooled connection may have gone stale), not four times: a
# request that publishes on commit waits at most two timeouts for a broker that is away.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# A run on which no worker has begun or finished a year for this long has lost its worker:
# the sweep queues its pending years again (monitoring.rollups.runs.run_items_requeue_stalled).
ROLLUP_RUN_STALL_SECONDS = env.int("ROLLUP_RUN_STALL_SECONDS", default=ROLLUP_TASK_TIME_LIMIT + 60)
CELERY_TIMEZONE = TIME_ZONE
# Every periodic job is declared here, in one place.
CELERY_BEAT_SCHEDULE = {
    "rollups-sweep-every-minute": {
        "task": "monitoring.tasks.process_stale_rollups",
        "schedule": 60.0,
    },
    "rollup-runs-sweep-every-minute": {
        "task": "monitoring.tasks.requeue_stalled_run_items",
        "schedule": 60.0,
    },
    "activity-imports-sweep-every-minute": {
        "task": "monitoring.tasks.requeue_stalled_activity_imports",
        "schedule": 60.0,
    },
    "rollups-full-recompute-nightly": {
        "task": "monitoring.tasks.nightly_full_recompute",
        "schedule": crontab(hour=2, minute=30),
    },
    "report-reminders-daily": {
        "task": "monitoring.tasks.send_report_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "notification-digests-daily": {
        "task": "notifications.tasks.send_notification_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "api-tokens-purge-daily": {
        "task": "accounts.tasks.purge_expired_api_tokens",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Sign-in (accounts/signin/): failed attempts are counted in the cache, never in the database.
# An account is locked after SIGNIN_ACCOUNT_FAILURES failures within SIGNIN_LOCKOUT_MINUTES, an
# address after SIGNIN_ADDRESS_FAILURES; a lock lasts SIGNIN_LOCKOUT_MINUTES. Without Redis
# each process counts for itself (see README).
SIGNIN_CACHE = "default"
SIGNIN_ACCOUNT_FAILURES = env.int("SIGNIN_ACCOUNT_FAILURES", default=5)
SIGNIN_ADDRESS_FAILURES = env.int("SIGNIN_ADDRESS_FAILURES", default=20)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)
# "Forgot your password?" requests per e-mail address typed and per client address within
# SIGNIN_LOCKOUT_MINUTES; beyond them the form refuses until the window has passed.
PASSWORD_RESET_ACCOUNT_REQUESTS = env.int("PASSWORD_RESET_ACCOUNT_REQUESTS", default=3)
PASSWORD_RESET_ADDRESS_REQUESTS = env.int("PASSWORD_RESET_ADDRESS_REQUESTS", default=10)
# Administrators sign in with a code from an authenticator app (TOTP, django-otp) after their
# password; the half-done sign-in waits this long for the code.
SIGNIN_CODE_MINUTES = 10
OTP_TOTP_ISSUER = "Clusterboard"
# API tokens (accounts/tokens/): kept as digests, they die after API_TOKEN_DAYS, with a password
# change or a deactivation, or when revoked.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
# A token's user is cached (core.cache) only where the cache is shared by every process
# (Redis): there every committed write, in any process, moves the data version. A local-memory
# cache is one process's own, and would keep serving a deactivated user whom another process
# wrote; without Redis the token is looked up in the database on every request (one query).
API_TOKEN_USER_CACHE = bool(REDIS_URL)

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# Where e-mails' links point (notifications/): the site's address as its users reach it.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="clusterboard@localhost")

# Every line says when, how bad, who wrote it and for which request (core.request_id; "-"
# outside requests): readable text here, one JSON object a line in production
# (DJANGO_LOG_FORMAT). Celery workers and beat log the same way (config.celery).
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("DJANGO_LOG_FORMAT", default="text"),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers write through the same handler (not its default console handler).
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
# One line per request from core.request_id (with its id and time), in place of gunicorn's
# access log; off here, where runserver prints its own.
LOG_REQUESTS = env.bool("DJANGO_LOG_REQUESTS", default=False)
if not REDIS_URL:  # in-process (eager) tasks would log a line per task; workers keep them
    LOGGING["loggers"]["celery.app.trace"] = {
        "level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")
    }
