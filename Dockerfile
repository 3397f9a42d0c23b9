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
# collectstatic needs settings that import; the real secret comes from the environment at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py compilemessages --ignore=.venv

RUN mkdir -p var/media var/documents var/backups && chown -R atmp:atmp var
USER atmp
EXPOSE 8000
CMD ["sh", "-c", "gunicorn atmp.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips='*'"]
