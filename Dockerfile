# Production image: Python 3.11 (Django 5.2 LTS), gunicorn behind a proxy; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=atmp.settings.production \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 curl postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 atmp

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=atmp:atmp . .
# collectstatic needs settings that import (production refuses to without its variables): placeholders that
# connect nowhere. The real values come from the environment at run time.
RUN export SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build.invalid/build \
        REDIS_URL=redis://build.invalid BASE_URL=https://build.invalid DEFAULT_FROM_EMAIL=build@build.invalid \
        EMAIL_HOST=build.invalid \
    && python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore=.venv

RUN mkdir -p var/media var/documents var/backups && chown -R atmp:atmp var
USER atmp
EXPOSE 8000
CMD ["sh", "-c", "gunicorn atmp.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips='*'"]
