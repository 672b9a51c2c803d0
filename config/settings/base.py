"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment through django-environ; see README "Configuration".
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

COUNCIL_NAME = env("COUNCIL_NAME", default="Demonstration Council")
SERVICE_NAME = "Care commissioning"
# The address people use to reach the service: links in emails start with it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "core.apps.CouncilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    # Makes the historical tables append-only (core/audit.py).
    "pgtrigger",
    "axes",
    "django_celery_beat",
    "core",
    "providers",
    "contracts",
    "procurement",
    "finance",
    "performance",
    "documents",
    "notifications",
    # Reads the apps above; nothing reads it.
    "search",
    # Above the others: reads their selectors (decision 27).
    "work",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything below, so redirects, refusals and lockout pages
    # are marked too.
    "core.middleware.NoStoreMiddleware",
    # Django's, but the timeout warning can ask how long is left without
    # renewing the session (core/sessions.py).
    "core.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "work.middleware.ForgetQueueCountOnWrite",
    # Every page needs a signed-in user unless its view opts out with
    # @login_not_required: a new view cannot be forgotten open. Django's,
    # keeping a form sent after the idle limit (core/resume.py).
    "core.middleware.LoginRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.uploads.RequestSizeLimitMiddleware",
    "core.middleware.AdminScriptPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.IdleSignOutNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
                "work.context_processors.queue_count",
            ],
        },
    },
]

# SQLite on a laptop; PostgreSQL (CI, production) when DATABASE_URL is set.
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's default hashers and cost; the first hashes in a low-priority thread
# so that many sign-ins at once do not slow every page (core/hashers.py).
PASSWORD_HASHERS = [
    "core.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Linux niceness of that thread: 10 weighs it about a tenth of a request
# thread, so a sign-in still finishes while every core is busy with pages;
# 0 hashes in the request's own thread.
PASSWORD_HASH_NICENESS = env.int("PASSWORD_HASH_NICENESS", default=10)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout: five wrong passwords are tolerated; the sixth locks the
# account (by username, whatever the address) for the cool-off period.
AXES_FAILURE_LIMIT = 6
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Password spraying (a few guesses on each of many accounts) is limited by
# address, at its own, higher limit: wrong passwords from one address on
# accounts that have not signed in since. 15 lets a whole office behind one
# NAT address mistype and carry on, and stops a sprayer after three accounts
# (docs/decisions/0010-sign-in-limit-by-address.md).
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=15)
AXES_HANDLER = "core.lockout.AccountAndAddressLockout"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
# The address is the one the outermost of this many proxies saw (README
# "Running in production"); 0: the connection's own address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_ip"
# Axes would have us put the IP address in AXES_LOCKOUT_PARAMETERS, with the
# account's limit of six: that would shut out a whole office behind a
# shared NAT address. The handler above limits addresses instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Idle timeout: the session cookie is renewed on every request and expires
# after this many minutes without one.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Pages warn this long before the session ends and offer to keep it
# (WCAG 2.2.1 asks for at least 20 seconds; decision 0039).
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=120)
# How long the navigation's "Your work (N)" may be kept in the session
# (work/context_processors.py); 0 counts on every page.
WORK_QUEUE_COUNT_SECONDS = env.int("WORK_QUEUE_COUNT_SECONDS", default=30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# GOV.UK Frontend needs one inline script (the js-enabled class and the module
# initialiser); it carries the per-request nonce, so no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (contract documents, bid documents, cabinet reports) on the
# local disk by default, under var/, which git ignores; production may point
# STORAGES["default"] at S3-compatible or Azure storage instead (README
# "Where documents are stored"). No URL serves MEDIA_ROOT: files leave only
# through views that check who is asking (MEDIA_URL is deliberately unset).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# Uploads are limited as they stream in (core/uploads.py). A bid document
# may be up to 10 MB; the other fields of a form up to Django's default
# 2.5 MB; files over 2.5 MB go to a temporary file, not memory. A request
# saying it is longer than all of that is refused before it is read. The
# proxy in front must allow UPLOAD_MAX_REQUEST_SIZE (README "Uploads").
UPLOAD_MAX_FILE_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_REQUEST_SIZE = UPLOAD_MAX_FILE_SIZE + DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Widgets crispy-forms-gds does not style by itself.
CRISPY_CLASS_CONVERTERS = {
    "urlinput": "govuk-input",
    "numberinput": "govuk-input",
    "dateinput": "govuk-input",
}

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# A mail server that stops answering must not hold a worker (and the
# reminder it has locked) for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="care-commissioning@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process (eager) so a laptop
# needs no Redis; set CELERY_BROKER_URL to use a real worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Bounded waits on a Redis that is down or stuck, for workers and beat.
# Pages hand work over with tighter timeouts of their own (core/outbox.py,
# decision 0014).
_REDIS_CONNECT_TIMEOUT = env.float("CELERY_REDIS_CONNECT_TIMEOUT", default=2.0)
_REDIS_SOCKET_TIMEOUT = env.float("CELERY_REDIS_SOCKET_TIMEOUT", default=10.0)
# A task taken by a worker that then dies is handed out again after this
# long. Our tasks are safe to run twice, so a short timeout only costs a
# duplicate delivery that does nothing.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    "socket_connect_timeout": _REDIS_CONNECT_TIMEOUT,
    "socket_timeout": _REDIS_SOCKET_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = _REDIS_CONNECT_TIMEOUT
# Tasks a worker queues (a reminder's retry, the sweep's sends) give up
# quickly rather than hang; the outbox and the reminder sweep catch up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The result backend retried 20 times a second apart by default: a page
# that touched it held its worker for 20 s with Redis down. Pages no longer
# touch it (outbox tasks keep no result); what still does gives up fast.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = _REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = _REDIS_SOCKET_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default handler would print every line twice.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Axes logs every sign-in at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
