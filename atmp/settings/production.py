"""Production: refuses to start unless every setting without a safe default comes from the environment; HTTPS
everywhere.

The development fallbacks of `base` (SQLite, a per-process cache, a file broker, links to 127.0.0.1, mail to
localhost) would each start silently and fail later, one at a time; here all that is missing is named at once.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, SECRET_KEY, env_bool, os, storages_from_env

POSTGRES_ENGINES = {"atmp.postgresql", "django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}


def missing_settings(environ):
    """What production lacks, one line per environment variable, in the order of the README's table."""
    missing = []
    if not SECRET_KEY:
        missing.append("SECRET_KEY (a long random string)")
    if not ALLOWED_HOSTS:
        missing.append("ALLOWED_HOSTS (comma-separated host names)")
    if not environ.get("DATABASE_URL"):
        missing.append("DATABASE_URL (postgres://user:password@host:5432/name)")
    elif DATABASES["default"]["ENGINE"] not in POSTGRES_ENGINES:
        missing.append("DATABASE_URL must point at PostgreSQL (postgres://...)")
    if not environ.get("REDIS_URL"):
        missing.append("REDIS_URL (redis://host:6379/0): the shared cache and the task broker")
    base_url = urlsplit(environ.get("BASE_URL", "").strip())
    if not base_url.netloc:
        missing.append("BASE_URL (https://the.public.host): links in e-mails, feeds and on certificates")
    elif base_url.scheme != "https":
        missing.append("BASE_URL must start with https://")
    if not environ.get("DEFAULT_FROM_EMAIL", "").strip():
        missing.append("DEFAULT_FROM_EMAIL (Name <address@example.se>)")
    if not environ.get("EMAIL_HOST", "").strip():
        missing.append("EMAIL_HOST (the SMTP relay)")
    return missing


if missing := missing_settings(os.environ):
    raise ImproperlyConfigured("Production settings need these environment variables:\n  " + "\n  ".join(missing))

DEBUG = False
STORAGES = storages_from_env("whitenoise.storage.CompressedManifestStaticFilesStorage")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # probes speak plain HTTP inside the network
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

LOGGING["formatters"]["json"] = {"()": "atmp.logging.JSONFormatter"}  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
