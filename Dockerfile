# The Clusterboard image: one image for web (gunicorn), worker and beat (Celery); see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN groupadd --system clusterboard \
    && useradd --system --gid clusterboard --home-dir /app --no-create-home clusterboard

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them: the lock, every package
# pinned with its hashes (pip refuses anything unpinned or altered).
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt

COPY . .

# Static files are collected into the image (whitenoise serves them). Production settings
# demand a secret, hosts and a database; these build-time values are throwaway and are not
# kept in the image's environment.
RUN DJANGO_SECRET_KEY=build-time-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build-only.sqlite3

# Uploaded files (activity attachments) live on a volume at /data/media, owned by the app user.
RUN mkdir -p /data/media && chown clusterboard:clusterboard /data/media

USER clusterboard

EXPOSE 8000

# Workers: gunicorn reads WEB_CONCURRENCY (docker-compose.yml sets it).
# (No access log: Django writes one line per request, with its request id; see README.)
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
