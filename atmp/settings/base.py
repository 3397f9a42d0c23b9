"""Settings shared by every environment. Everything that differs between machines comes from the environment."""

import json
import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "courses",
    "catalogue",
    "enrolment",
    "atmp",  # the project's own commands (load_demo)
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "atmp.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "atmp.middleware.DatabaseUnavailableMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "atmp.middleware.AdminAccessMiddleware",
    "courses.page_cache.PageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "atmp.middleware.AdminScopeMiddleware",
]

ROOT_URLCONF = "atmp.urls"
WSGI_APPLICATION = "atmp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that needs no round trip (atmp/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "atmp.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two enrolments cannot both read
    # "one seat left" and both write; the timeout makes the second wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Redis is optional: without it the cache is per process and Celery uses an embedded broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis only accelerates: PostgreSQL holds the truth. With Redis unreachable the cache answers "miss" (atmp/cache.py),
# sessions come from the database, and enqueueing fails fast (the outbox sweep sends what waited).
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.25"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "atmp.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "RETRY_SECONDS": 1,
                "LOG_INTERVAL_SECONDS": int(os.environ.get("CACHE_ERROR_LOG_INTERVAL_SECONDS", "60")),
            },
        }
    }
    # Sessions read from Redis, written through to the database: one query less on every request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Languages: Swedish first and default; every page lives at /sv/... or /en/...
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILLOCALIZE_DEFAULT_LOCALE = "sv"
# "Translate" makes the English page a draft: it stays out of /en/ until its translation is published, rather
# than going live at once with the Swedish words in it.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Page addresses in plain ASCII (Säker → saker), typed or made from a Swedish title, so links survive e-mail and
# chat unescaped; wagtail-localize already makes translations' slugs ASCII when it syncs them.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Course documents are private: kept outside MEDIA_ROOT and served only by the checked view (courses/storage.py).
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", VAR_DIR / "documents"))


def storages_from_env(staticfiles_backend="django.contrib.staticfiles.storage.StaticFilesStorage"):
    """Django's STORAGES: images in MEDIA_ROOT, documents in DOCUMENTS_ROOT or an S3-compatible bucket
    (DOCUMENTS_STORAGE=s3), and any alias replaced by the JSON in the STORAGES variable."""
    documents = {"BACKEND": "courses.storage.PrivateFileSystemStorage"}
    kind = os.environ.get("DOCUMENTS_STORAGE", "filesystem").strip().lower()
    if kind == "s3":
        # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself.
        documents = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "location": os.environ.get("AWS_LOCATION", ""),
                # Never public: files are read by the checked view, never linked to directly.
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if not documents["OPTIONS"]["bucket_name"]:
            raise ImproperlyConfigured("DOCUMENTS_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    elif kind != "filesystem":
        raise ImproperlyConfigured(f"DOCUMENTS_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    result = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": staticfiles_backend},
        "documents": documents,
    }
    try:
        overrides = json.loads(os.environ.get("STORAGES") or "{}")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"STORAGES must be a JSON object of storage aliases: {error}") from None
    if not isinstance(overrides, dict):
        raise ImproperlyConfigured("STORAGES must be a JSON object of storage aliases.")
    result.update(overrides)
    return result


STORAGES = storages_from_env()

# Wagtail
WAGTAIL_SITE_NAME = "ATMP Courses"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "catalogue.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # every download goes through Django, so privacy rules apply
WAGTAILDOCS_DOCUMENT_MODEL = "courses.CourseDocument"  # private storage and a "public" flag
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# No WAGTAILAPI_BASE_URL: the API builds its detail_url from the Site serving the request, as html_url does.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail 8 autosaves a new page by posting the create form in the background; a click on "Publicera" while that
# request runs creates the page a second time and fails on the taken address (a 500 for the owner, seen in the
# owner's browser journey). Owners save drafts themselves until creating is safe to race.
WAGTAIL_AUTOSAVE_INTERVAL = 0
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # `?format=` is a course field the API filters on (online, in person...), not a choice of renderer:
    # DRF's override answered `?format=online` with an empty 404.
    "URL_FORMAT_OVERRIDE": None,
}

# django-allauth: e-mail is the login
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# allauth's default rate limits apply (login failures, sign-ups, password resets); they need a shared cache. While
# Redis is unreachable they count in each web process instead (atmp/cache.py): still limits, not shared ones.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
PRIVACY_NOTICE_VERSION = "2026-11"
# Retention (accounts/privacy.py): participants' data on enrolments whose occasion ended longer ago than this
# is anonymised; free-text answers to the enrolment questions go sooner.
PRIVACY_RETENTION_MONTHS = int(os.environ.get("PRIVACY_RETENTION_MONTHS", "24"))
PRIVACY_ANSWERS_RETENTION_MONTHS = int(os.environ.get("PRIVACY_ANSWERS_RETENTION_MONTHS", "6"))
# Invoice details of invoiced enrolments are bookkeeping records: Swedish law (bokföringslagen 7 kap. 2 §) keeps
# them until the end of the seventh year after the year they belong to, so at most eight years.
INVOICE_RETENTION_MONTHS = int(os.environ.get("INVOICE_RETENTION_MONTHS", "96"))
LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL  # private pages use the same (allauth) login as everything else

# Optional single sign-on: a region's OpenID Connect identity provider, configured without code.
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_PROVIDERS = {}
if os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "region"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Region login"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ["OIDC_SERVER_URL"]},
            }
        ]
    }
LOGIN_REDIRECT_URL = "/"

# The admin has no login form of its own: /admin/login/ sends people to allauth's, with its rate limits, e-mail
# verification and second factor (accounts/services.py decides who may enter and what they must have done).
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth's reset (rate-limited) is the only one
# Second factor: authenticator apps (TOTP), with recovery codes for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "ATMP Courses")
# Staff (everyone who may use the admin) must have logged in with a second factor ...
STAFF_REQUIRE_MFA = env_bool("STAFF_REQUIRE_MFA")
# ... or through the region's identity provider above (its provider_id), not with a password.
STAFF_REQUIRE_OIDC = env_bool("STAFF_REQUIRE_OIDC")
STAFF_OIDC_PROVIDER_ID = os.environ.get("OIDC_PROVIDER_ID", "region")

# E-mail
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ATMP Courses <kurser@atmp-centrum.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport, so a worker runs anywhere.
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Publishing happens inside web requests (after an enrolment commits): an unreachable broker must fail in
    # well under a second. enqueue() also publishes with retry=False. The worker keeps reconnecting as usual.
    # max_retries=0: kombu would otherwise keep retrying for the connection timeout, sleeping 2 s in between.
    # (The worker's reconnect loop has its own settings: broker_connection_retry, broker_connection_max_retries.)
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "max_retries": 0}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # kombu keeps its exchange table here; by default it is ./control, in the checkout.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {
        "task": "enrolment.tasks.sweep_outbox",
        "schedule": float(os.environ.get("NOTIFICATION_SWEEP_INTERVAL_SECONDS", "60")),
    },
    "expire-offers": {"task": "enrolment.tasks.expire_offers", "schedule": 60.0},
    "manager-approvals": {"task": "enrolment.tasks.process_manager_approvals", "schedule": 300.0},
    "queue-reminders": {"task": "enrolment.tasks.queue_reminders", "schedule": 300.0},
    "queue-follow-ups": {"task": "enrolment.tasks.queue_follow_ups", "schedule": 3600.0},
    "queue-organiser-digests": {"task": "enrolment.tasks.queue_organiser_digests", "schedule": 900.0},
    "record-no-shows": {"task": "enrolment.tasks.record_no_shows", "schedule": 3600.0},
    # Evaluations (enrolment/evaluations.py): both read the database and can run twice.
    "queue-evaluation-invitations": {"task": "enrolment.tasks.queue_evaluation_invitations", "schedule": 900.0},
    "queue-evaluation-reminders": {"task": "enrolment.tasks.queue_evaluation_reminders", "schedule": 3600.0},
    # Alerts (catalogue/alerts.py): "at once" means within this interval; weekly digests fall due by the row.
    "queue-alert-matches": {"task": "catalogue.tasks.queue_alert_matches", "schedule": 900.0},
    "sweep-alert-messages": {"task": "catalogue.tasks.sweep_alert_messages", "schedule": 120.0},
    # Retention (accounts/privacy.py): nightly, when nobody is enrolling.
    "anonymise-expired": {"task": "accounts.tasks.anonymise_expired", "schedule": crontab(hour=3, minute=30)},
}

# Attendance (enrolment/services.py): confirmed participants nobody marked become no-shows this long after
# the occasion ended, which leaves organisers time to correct the list first.
ATTENDANCE_GRACE_HOURS = int(os.environ.get("ATTENDANCE_GRACE_HOURS", "48"))
# ... but only for occasions that ended at most this many days before that: older ones predate check-in.
ATTENDANCE_LOOKBACK_DAYS = int(os.environ.get("ATTENDANCE_LOOKBACK_DAYS", "14"))

# Evaluations (enrolment/evaluations.py): a personal link works this many days after the occasion ends; one
# reminder goes this many days after the invitation to those who have not answered.
EVALUATION_OPEN_DAYS = int(os.environ.get("EVALUATION_OPEN_DAYS", "30"))
EVALUATION_REMINDER_DAYS = int(os.environ.get("EVALUATION_REMINDER_DAYS", "4"))

# Notifications (enrolment/notifications.py)
# A worker sends up to this many due messages per task over one SMTP connection (1 with a rate limit: one each).
NOTIFICATION_SEND_BATCH = int(os.environ.get("NOTIFICATION_SEND_BATCH", "20"))
NOTIFICATION_RATE_LIMIT = os.environ.get("NOTIFICATION_RATE_LIMIT") or None  # e.g. "30/m" per worker for strict relays
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "8"))
NOTIFICATION_SWEEP_AFTER_SECONDS = int(os.environ.get("NOTIFICATION_SWEEP_AFTER_SECONDS", "120"))
# Back-off between attempts: base, 2×base, 4×base, ... up to NOTIFICATION_RETRY_MAX_SECONDS. With 30 s and 8
# attempts: tries at 0, 30 s, 1½, 3½, 7½, 15½, 31½ and 61½ min, then the row is "failed" (a relay away for
# an hour loses nothing; an admin can send it again from the outbox).
NOTIFICATION_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "30"))
NOTIFICATION_RETRY_MAX_SECONDS = float(os.environ.get("NOTIFICATION_RETRY_MAX_SECONDS", "1800"))
# An attempt still under way after this long was cut short (the worker died): the sweep sends it again, with
# the same Message-ID. Longer than the slowest SMTP conversation (several EMAIL_TIMEOUTs).
NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS = float(os.environ.get("NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS", "300"))
# The domain in the Message-ID of outgoing mail: the sender's.
NOTIFICATION_MESSAGE_ID_DOMAIN = os.environ.get("NOTIFICATION_MESSAGE_ID_DOMAIN") or (
    parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's inline background tasks log every search-index update at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}

# Catalogue
CATALOGUE_PAGE_SIZE = 12
# Anonymous visitors get pages at most this old (seat badges); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))
FEW_SEATS_LEFT = 3  # at or below this many seats an occasion shows "Few seats left"
