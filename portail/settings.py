"""Django settings for Portail Famille.

Every setting comes from the environment; README.md lists them with their defaults.
`PORTAIL_ENV` is `development` (default) or `production`; production refuses to start
without a real SECRET_KEY, ALLOWED_HOSTS and the PayFiP settings, and never enables the
demo logins or the PayFiP simulator.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portail.env import env_bool, env_days, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PORTAIL_ENV = env_str("PORTAIL_ENV", "development")
if PORTAIL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("PORTAIL_ENV must be 'development' or 'production'")
PRODUCTION = PORTAIL_ENV == "production"

# Where the SQLite database, collected static files and e-mail files live by default.
DATA_DIR = Path(env_str("PORTAIL_DATA_DIR", str(BASE_DIR / "var")))

DEV_SECRET_KEY = "development-only-insecure-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo mode loads the demo commune's logins; the PayFiP simulator answers when no
# PAYFIP_WS_URL is set. Neither can be on in production.
PORTAIL_DEMO = env_bool("PORTAIL_DEMO", not PRODUCTION) and not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "portail.core",
    "portail.accounts",
    "portail.families",
    "portail.activities",
    "portail.reservations",
    "portail.api",
    "portail.demo",
    "portail.payfip",
    "portail.billing",
    "portail.procedures",
    "portail.home",
    "portail.reminders",
    "portail.backoffice",
]
if not PRODUCTION:
    # The PayFiP simulator (demo and tests only) is never installed in production.
    INSTALLED_APPS.append("portail.payfip_simulator")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A Content-Security-Policy on every response (before WhiteNoise: static files too).
    "portail.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Development without PORTAIL_BASE_URL: the request's own address is the portal's.
    "portail.core.base_url.RequestBaseUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read along with the session (portail/accounts/middleware.py).
    "portail.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The database down or locked: a 503 page (or the API's JSON 503), not a 500.
    "portail.core.security.DatabaseUnavailableMiddleware",
    "portail.api.http.ApiDatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portail.urls"
WSGI_APPLICATION = "portail.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portail.core.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite (WAL, write lock taken at BEGIN) unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'portail.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # BEGIN IMMEDIATE: a writing transaction holds the database's write lock from its
        # first statement, so "check then write" cannot interleave between processes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a real file (not shared-cache memory) so that threads see real locking.
    # PORTAIL_TEST_DB lets parallel runs on one machine use separate files.
    _db["TEST"] = {"NAME": str(DATA_DIR / env_str("PORTAIL_TEST_DB", "test-portail.sqlite3"))}
else:
    # Off by default: a health check is one more statement (SELECT 1) at the start of every
    # request reusing a connection. Without it, after the database restarts each worker's
    # next request fails once (the 503 page of core.security) and Django drops that broken
    # connection at the end of the request: the following one reconnects.
    _db["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", False)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "families:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: after this many failures for one e-mail (or one client address)
# within the window, further attempts are refused until the window has passed.
PORTAIL_LOGIN_MAX_FAILURES = env_int("PORTAIL_LOGIN_MAX_FAILURES", 5, minimum=1)
PORTAIL_LOGIN_WINDOW_MINUTES = env_int("PORTAIL_LOGIN_WINDOW_MINUTES", 15, minimum=1)
# How many reverse proxies in front of the app set X-Forwarded-For (0: use REMOTE_ADDR).
# Behind nginx or Caddy set 1, or every client would share the proxy's address for throttling.
PORTAIL_TRUSTED_PROXY_COUNT = env_int("PORTAIL_TRUSTED_PROXY_COUNT", 0, minimum=0)
# Forgotten-password e-mails: at most this many per account, and this many requests per
# client address, within the window; further requests get the same page and no e-mail.
PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT = env_int(
    "PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT", 3, minimum=1
)
PORTAIL_PASSWORD_RESET_MAX_PER_IP = env_int("PORTAIL_PASSWORD_RESET_MAX_PER_IP", 20, minimum=1)
PORTAIL_PASSWORD_RESET_WINDOW_MINUTES = env_int(
    "PORTAIL_PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1
)
# Activation links e-mailed to accounts created by staff expire after this many hours.
PORTAIL_ACTIVATION_HOURS = env_int("PORTAIL_ACTIVATION_HOURS", 72, minimum=1)
# API tokens (POST /api/v1/auth/token) stop working this many days after they are issued.
PORTAIL_API_TOKEN_DAYS = env_int("PORTAIL_API_TOKEN_DAYS", 90, minimum=1)
# Password-reset links expire after this many seconds (Django's own setting).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24, minimum=60)

# Reservations: a submitted basket holds its places for this many minutes.
PORTAIL_BASKET_HOLD_MINUTES = env_int("PORTAIL_BASKET_HOLD_MINUTES", 30, minimum=1)
# How long a place offered from the waiting list is held for the family (shortened so that
# it ends before the day's booking deadline): portail/reservations/waiting.py.
PORTAIL_WAITING_OFFER_HOURS = env_int("PORTAIL_WAITING_OFFER_HOURS", 24, minimum=1)

# Invoices (billing runs): an invoice is due this many days after it is issued.
PORTAIL_INVOICE_DUE_DAYS = env_int("PORTAIL_INVOICE_DUE_DAYS", 30, minimum=0)
# Reminders (relances) of an invoice still unpaid: the first when its due date is 7 days
# past, the second at 30 days (`portail send_invoice_reminders`, run daily;
# billing/invoicing/reminders.py).
PORTAIL_INVOICE_REMINDER_DAYS = env_days("PORTAIL_INVOICE_REMINDER_DAYS", "7,30")

# E-mail reminders a guardian can turn off (`portail send_reminders`, every few minutes;
# docs/reminders.md): a week with nothing booked this many hours before its booking
# deadline; an unpaid basket this many minutes before its hold ends; an unpaid invoice
# this many days before its due date.
PORTAIL_REMINDER_WEEK_BEFORE_HOURS = env_int("PORTAIL_REMINDER_WEEK_BEFORE_HOURS", 48, minimum=1)
PORTAIL_REMINDER_BASKET_MINUTES = env_int("PORTAIL_REMINDER_BASKET_MINUTES", 10, minimum=1)
# Hours before a place offered from a waiting list stops being held when the family is
# reminded (portail/reminders/kinds/offer.py).
PORTAIL_REMINDER_OFFER_HOURS = env_int("PORTAIL_REMINDER_OFFER_HOURS", 6, minimum=1)
PORTAIL_REMINDER_INVOICE_DAYS = env_int("PORTAIL_REMINDER_INVOICE_DAYS", 3, minimum=0)

# PayFiP (the State's payment service). Without PAYFIP_WS_URL, outside production, the
# built-in simulator answers instead.
PAYFIP_NUMCLI = env_str("PAYFIP_NUMCLI", "" if PRODUCTION else "000000")
PAYFIP_SAISIE = env_str("PAYFIP_SAISIE", "W" if PRODUCTION else "T")
PAYFIP_WS_URL = env_str("PAYFIP_WS_URL", "")
PAYFIP_PAYMENT_URL = env_str("PAYFIP_PAYMENT_URL", "")
PAYFIP_TIMEOUT_SECONDS = env_int("PAYFIP_TIMEOUT_SECONDS", 10, minimum=1)
# Payments (portail.billing). PayFiP may report "A" (abandoned) while its page is still
# open: the payment stays pending this many minutes after the first "A", then is closed
# and its basket reopens. The payment page lives PAYFIP_PAGE_MINUTES (PayFiP: 15); an idOp
# still unknown (P1) after that is expired. A payment with no result at all (P5, PayFiP
# unreachable) after PAYFIP_PENDING_MAX_MINUTES is expired too, so that its basket stops
# holding places; `portail check_payments` (every 5 minutes) keeps asking about expired
# and abandoned payments for PAYFIP_RECHECK_HOURS, so a late "paid" is never missed.
PAYFIP_ABANDON_GRACE_MINUTES = env_int("PAYFIP_ABANDON_GRACE_MINUTES", 5, minimum=0)
PAYFIP_PAGE_MINUTES = env_int("PAYFIP_PAGE_MINUTES", 15, minimum=1)
PAYFIP_PENDING_MAX_MINUTES = env_int("PAYFIP_PENDING_MAX_MINUTES", 60, minimum=15)
PAYFIP_RECHECK_HOURS = env_int("PAYFIP_RECHECK_HOURS", 24, minimum=0)
# The portal's public address, for PayFiP's urlnotif/urlredirect and e-mailed links.
# Required in production; in development, when empty, each request's own address is used
# (portail/core/base_url.py), so any host and port work.
PORTAIL_BASE_URL = env_str("PORTAIL_BASE_URL", "")
if PAYFIP_SAISIE not in {"T", "X", "W"}:
    raise ImproperlyConfigured("PAYFIP_SAISIE must be T (test), X (activation) or W (production)")

# Internationalisation: French by default, English as a full translation.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
# Dates in English are written day first, 24-hour clock, like the French (portail/formats/).
FORMAT_MODULE_PATH = ["portail.formats"]
LOCALE_PATHS = [BASE_DIR / "portail" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portail_language"

# Static files, served by WhiteNoise from the app processes (compressed, cache-busted
# in production after `portail collectstatic`).
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Documents families upload with a démarche (portail/procedures/uploads.py): PDF, JPEG or
# PNG, checked by content, at most this many megabytes each. They are kept through
# STORAGES["private"]: a folder outside the static files (PORTAIL_PRIVATE_DIR), or with
# PORTAIL_STORAGE=s3 an S3-compatible bucket (django-storages, the `s3` extra), which
# every app machine of one city shares.
PORTAIL_UPLOAD_MAX_MB = env_int("PORTAIL_UPLOAD_MAX_MB", 10, minimum=1)
FILE_UPLOAD_HANDLERS = [
    # A file over PORTAIL_UPLOAD_MAX_MB is not kept past the limit, and refused clearly.
    "portail.procedures.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
PORTAIL_STORAGE = env_str("PORTAIL_STORAGE", "local")
if PORTAIL_STORAGE == "local":
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("PORTAIL_PRIVATE_DIR", str(DATA_DIR / "private")),
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
elif PORTAIL_STORAGE == "s3":
    if not env_str("PORTAIL_S3_BUCKET"):
        raise ImproperlyConfigured("PORTAIL_STORAGE=s3 needs PORTAIL_S3_BUCKET")
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PORTAIL_S3_BUCKET"),
            # Empty: AWS itself, or the machine's own credentials (instance role).
            "endpoint_url": env_str("PORTAIL_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PORTAIL_S3_REGION") or None,
            "access_key": env_str("PORTAIL_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("PORTAIL_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("PORTAIL_S3_PREFIX", "private"),
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": False,
            "querystring_auth": env_bool("PORTAIL_S3_QUERYSTRING_AUTH", True),
            "querystring_expire": env_int("PORTAIL_S3_QUERYSTRING_EXPIRE", 300, minimum=1),
        },
    }
else:
    raise ImproperlyConfigured("PORTAIL_STORAGE must be 'local' or 's3'")

# E-mail: SMTP when EMAIL_HOST is set; else one file per message in EMAIL_FILE_PATH, by
# default DATA_DIR/mail in development and the demo (not mixed with the server's log);
# else (production without SMTP, or EMAIL_FILE_PATH set empty) the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "" if PRODUCTION else str(DATA_DIR / "mail"))
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Portail Famille <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
# Django's database sessions, read in one statement with their user, guardian and household
# (portail/accounts/sessions.py).
SESSION_ENGINE = "portail.accounts.sessions"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    missing = [
        name
        for name, value in {
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": ALLOWED_HOSTS,
            "PAYFIP_NUMCLI": PAYFIP_NUMCLI,
            "PAYFIP_WS_URL": PAYFIP_WS_URL,
            "PAYFIP_PAYMENT_URL": PAYFIP_PAYMENT_URL,
            "PORTAIL_BASE_URL": PORTAIL_BASE_URL,
        }.items()
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "PORTAIL_ENV=production needs these settings: " + ", ".join(missing)
        )
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be a random string of 50 characters or more")
    if not PAYFIP_NUMCLI.isdigit() or len(PAYFIP_NUMCLI) != 6:
        raise ImproperlyConfigured("PAYFIP_NUMCLI must be the régie's 6-digit client number")
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment each city takes itself; not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
