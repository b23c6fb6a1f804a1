"""Local development: DEBUG on; SQLite and in-process tasks unless the environment says so."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# `make run`: e-mail (the "forgot your password?" link, notifications) is printed on the
# console where the server runs, unless DJANGO_EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
