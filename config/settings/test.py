"""Test settings: fast hashing, in-memory e-mail; database and broker from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Unit tests run tasks in-process; the integration tests start a real worker on REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The integration tests and bench/rollups.py send their tasks to a queue of their own (their
# workers consume only it), so that no other worker on the same broker takes them.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# The sign-in throttle counts in a local-memory cache of its own, emptied before each test
# (tests/conftest.py), so that one test's failed attempts never lock another test out, even
# when the default cache is a Redis shared with other runs.
CACHES = {
    **CACHES,  # noqa: F405
    "signin": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "signin"},
}
SIGNIN_CACHE = "signin"
# A second alias mirroring the test database: the tests of core.routers switch READ_REPLICA on
# and see the dashboards read through it; every other test reads "default" only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_REPLICA = False
