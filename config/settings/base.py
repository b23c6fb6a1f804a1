"""Settings shared by every environment; values come from environment variables."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

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
    "rest_framework.authtoken",
    "django_filters",
    "simple_history",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "clusters",
    "bsos",
    "programs",
    "accounts",
    "scorecards",
    "monitoring",
    "dashboards",  # role dashboards (pages only): the top layer
    "demo",  # seed_demo and demo_logins; depends on every app, nothing depends on it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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

# Embedded default: an SQLite file next to the code. Set DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard-home"  # dashboards.views.home: each role to its dashboard
LOGOUT_REDIRECT_URL = "directory"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
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

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # No HTTP Basic: hashing a password on every request costs ~0.5 s of CPU.
        # Token first, so that an unauthenticated request answers 401 (not 403).
        "core.authentication.CachedTokenAuthentication",  # DRF's, its user from core.cache
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.DefaultPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clusterboard API",
    "DESCRIPTION": "Cluster development programs: clusters, BSOs, governance, scorecards.",
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
    },
}

# Celery: with REDIS_URL a real broker and worker; without it tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")

# Cache (core.cache: dashboards and big API lists, keyed by a data version that every committed
# write moves). With REDIS_URL, Redis, shared by every web and worker process; without it, a
# local-memory cache per process (the embedded default runs one process).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "clusterboard",
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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * ROLLUP_TASK_TIME_LIMIT}
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
    "rollups-full-recompute-nightly": {
        "task": "monitoring.tasks.nightly_full_recompute",
        "schedule": crontab(hour=2, minute=30),
    },
    "report-reminders-daily": {
        "task": "monitoring.tasks.send_report_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="clusterboard@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
if not REDIS_URL:  # in-process (eager) tasks would log a line per task; workers keep them
    LOGGING["loggers"] = {
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")}
    }
