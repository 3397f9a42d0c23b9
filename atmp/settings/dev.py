"""Local development: DEBUG on, e-mail written to files in var/mail/ (readable at /dev/mailbox/)."""

from .base import *  # noqa: F403
from .base import VAR_DIR, os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")  # noqa: S105 - development only
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"

# Keep `make run` readable: Wagtail logs every page save at INFO (the demo command saves hundreds).
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405
