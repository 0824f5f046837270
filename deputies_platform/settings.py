"""Settings, driven by environment variables (every one is listed in README.md).

Unset means production: without ``DEV_DEFAULTS=true`` (which ``make run``, ``make test`` and ``make bench``
set, and ``TESTING``/``DEBUG`` imply) every secret and server must be named, a missing one stops the start
with ImproperlyConfigured, and the site is served over HTTPS unless ``HTTPS=false`` says otherwise. With the
development defaults nothing is required: an embedded PostgreSQL under ``var/``, a filesystem Celery broker
under ``var/``, a file cache under ``var/cache`` shared by every process, console email.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default=False)
# Fail closed: a deployment that forgets this variable runs as production, never with the public dev keys.
DEV_DEFAULTS = DEBUG or TESTING or env.bool("DEV_DEFAULTS", default=False)


def _required(name: str, what: str) -> str:
    """A variable production must set (no fallback); with the development defaults, never called."""
    value = env(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Set {name} ({what}): it is required in production. For development on this machine set "
            "DEV_DEFAULTS=true instead (make run, make test and make bench do).")
    return value


if DEV_DEFAULTS:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-" + "x" * 40)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = _required("SECRET_KEY", "Django's signing key, 50 or more random characters")
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS", "the site's host names, comma-separated")
                     .split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "django_celery_results",
    "apps.core",
    "apps.accounts",
    "apps.deputies",
    "apps.committee",
    "apps.liaison",
    "apps.activities",
    "apps.training",
    "apps.stations",
    "apps.proposals",
    "apps.scoring",
    "apps.covenant",
    "apps.notices",  # reads deputies and the committee for recipients; before the apps without models
    "apps.funds",
    "apps.publicity",
    "apps.materials",
    "apps.opendata",  # the public portal of replies (/open/): reads proposals, has no models
    "apps.intake",  # voters' opinions through the deputy's code: writes visits and suggestion drafts
    "apps.analytics",  # has no models: kept before the last app, whose post_migrate syncs the role groups
    "apps.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy, no-store when signed in
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files (precompressed) and the site root's favicon.ico
    # Pages compressed (inside WhiteNoise, which serves its own .gz/.br files). Django pads each compressed
    # response with random bytes, which defeats BREACH's length comparison; CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",  # Chinese unless the user chose English (not Accept-Language)
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.core.middleware.NulCharacterMiddleware",  # a NUL in the path, query or form: 400, before any view
    "apps.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "apps.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "deputies_platform.urls"
WSGI_APPLICATION = "deputies_platform.wsgi.application"

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
                "django.template.context_processors.i18n",
                "apps.core.context_processors.navigation",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
# DATABASE_URL names a server; without it the project starts its own embedded PostgreSQL (var/pgdata).
if env("DATABASE_URL", default="") or not DEV_DEFAULTS:
    _required("DATABASE_URL", "the PostgreSQL server, postgres://user:password@host:5432/name")
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from deputies_platform import embedded_db

    DATABASES = {"default": env.db_url_config(embedded_db.start())}
if env("DATABASE_NAME", default=""):  # another database on the same server, e.g. `make bench`'s deputies_bench
    DATABASES["default"]["NAME"] = env("DATABASE_NAME")
DATABASES["default"]["ENGINE"] = "deputies_platform.db"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "apps.accounts.password_validation.NotUsernameValidator"},
]
# A password older than this must be changed at the next page (0: never); so must one set by an administrator.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# After this many failed logins for one username from one client address within the window, that pair is
# locked for the same time (a security administrator may lift it). Other addresses are not affected.
LOGIN_LOCKOUT_FAILURES = env.int("LOGIN_LOCKOUT_FAILURES", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
# After this many failed logins from one client address within the window, whatever the usernames, the whole
# address is locked for the same time (0: no such limit): one machine trying a password across every account.
# Higher than the per-username limit: an office behind one NAT address shares it.
LOGIN_ADDRESS_LOCKOUT_FAILURES = env.int("LOGIN_ADDRESS_LOCKOUT_FAILURES", default=20)
LOGIN_ADDRESS_LOCKOUT_MINUTES = env.int("LOGIN_ADDRESS_LOCKOUT_MINUTES", default=30)
# Proxies in front of the app that append to X-Forwarded-For (0: use the connection's address).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
if TESTING:  # hashing dominates test time; production keeps the default PBKDF2
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The cookie dies with the browser; on the server a session still ends after SESSION_IDLE_SECONDS without a
# request and SESSION_COOKIE_AGE after login however active it is (see SessionTimeoutMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# Production is served over HTTPS (secure cookies, HSTS, redirect) unless HTTPS=false says it is plain HTTP.
HTTPS = env.bool("HTTPS", default=env.bool("SECURE_COOKIES", default=not DEV_DEFAULTS))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- language, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files: our own under static/, vendor files straight from pinned npm packages ------------
STATIC_URL = "/static/"
# A test process serves static files through the finders, never from what ``collectstatic`` wrote: tests that
# start make run's or the compose file's processes collect into var/staticfiles while other tests run.
STATIC_ROOT = VAR_DIR / ("staticfiles-test" if TESTING else "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
    # ECharts: only echarts.min.js, through apps.analytics.finders (its dist folder is 50 MB of other builds).
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "apps.analytics.finders.EChartsFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = TESTING
# A test process builds a middleware chain for every test client: WhiteNoise, which otherwise lists and stats every
# file the finders know (about 600) when its middleware starts, looks a static file up when it is asked for.
WHITENOISE_AUTOREFRESH = TESTING
WHITENOISE_ROOT = BASE_DIR / "static" / "root"  # served at the site's root: /favicon.ico
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- cache ----------------------------------------------------------------------------------------
# Every cache that holds state (sessions, the outbox's backlog hint, cached pages and their data versions) is
# shared by all processes: gunicorn's workers, the Celery worker and beat. A cache of one process would be read
# stale by the others (a session written by one worker, a hint cleared by another).
REDIS_URL = env("REDIS_URL", default="") if DEV_DEFAULTS else _required("REDIS_URL", "Celery broker and cache, "
                                                                       "redis://host:6379/0")
if REDIS_URL and not TESTING:
    # Keys are prefixed with the database name: cached pages carry that database's data versions, and two
    # databases (the demo and `make bench`'s) may share one Redis.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": DATABASES["default"]["NAME"]}}
elif TESTING:  # a test process has a database of its own, so a cache of its own (fast, and nothing to clear)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:  # no Redis (make run, make bench: one machine): files under var/cache, one directory per database, which
    # every process reads and writes (atomically: each entry is written to a temporary file, then renamed)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache" / DATABASES["default"]["NAME"]),
                          "OPTIONS": {"MAX_ENTRIES": 5000}}}
# Sessions in the database, read through the shared cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- celery ---------------------------------------------------------------------------------------
# REDIS_URL names the broker; without it kombu's filesystem transport under var/celery needs no server.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    _queue = VAR_DIR / "celery"
    for _sub in ("out", "processed", "control"):
        (_queue / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- email ----------------------------------------------------------------------------------------
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@deputies.local")

# --- SMS gateway (apps/core/sms.py) ---------------------------------------------------------------
# console (development default) | file (one line per message under SMS_FILE_DIR) | http (POST to a gateway).
SMS_BACKEND = env("SMS_BACKEND", default="console")
SMS_FILE_DIR = env("SMS_FILE_DIR", default=str(VAR_DIR / "sms"))
SMS_HTTP_URL = env("SMS_HTTP_URL", default="")
SMS_HTTP_KEY = env("SMS_HTTP_KEY", default="")
SMS_HTTP_TEMPLATE = env("SMS_HTTP_TEMPLATE", default='{"mobile": $number, "content": $text}')
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=5.0)
SMS_DAILY_LIMIT = env.int("SMS_DAILY_LIMIT", default=10)  # messages per number per day
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
# A message a worker claimed (``sending``) and left for longer than this belongs to a worker that died: the
# sweep (every five minutes) queues it again, or fails it once its attempts are used up.
SMS_STUCK_MINUTES = env.int("SMS_STUCK_MINUTES", default=10)
SMS_REMINDERS = env.bool("SMS_REMINDERS", default=False)  # reminders also go by SMS to those with a mobile
if SMS_BACKEND not in ("console", "file", "http"):
    raise ImproperlyConfigured(f"SMS_BACKEND must be console, file or http, not {SMS_BACKEND!r}.")
if SMS_BACKEND == "http" and not (SMS_HTTP_URL and SMS_HTTP_KEY):
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL and SMS_HTTP_KEY (the gateway and its key).")

# --- the product ----------------------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="Renda@2026")
ROSTER_PAGE_SIZE = env.int("ROSTER_PAGE_SIZE", default=50)
# Chinese PDFs embed a TrueType-outline CJK font: the first of these that exists (npm package first: pinned and
# installed by `make install`; Debian's fonts-wqy-microhei as a fallback).
REPORT_FONT_PATHS = [
    BASE_DIR / "node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
]
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.RosterAwareModelBackend"]

# --- security: two-factor authentication (issue 7; edit only inside this block) ------------------
# Administrators (sysadmin, secadmin, auditor) must confirm a one-time code from an authenticator app after
# their password; others may turn it on. The shared secrets are encrypted with the first of OTP_ENCRYPTION_KEYS
# (any strings). To rotate, put the new key first and keep the old ones listed: they still decrypt, and each
# device is re-encrypted with the new key the next time its code is accepted.
if DEV_DEFAULTS:
    OTP_ENCRYPTION_KEYS = env.list("OTP_ENCRYPTION_KEYS", default=["dev-only-otp-key-" + SECRET_KEY])
else:
    OTP_ENCRYPTION_KEYS = [k.strip() for k in _required("OTP_ENCRYPTION_KEYS", "keys encrypting two-factor "
                                                       "secrets, comma-separated").split(",") if k.strip()]
OTP_ISSUER = env("OTP_ISSUER", default="Deputies Service Platform")  # the name shown in the authenticator app
OTP_PENDING_SECONDS = env.int("OTP_PENDING_SECONDS", default=5 * 60)  # password accepted, code awaited this long
OTP_MAX_FAILURES = env.int("OTP_MAX_FAILURES", default=5)  # wrong codes before the login attempt is cancelled
# --- end two-factor -------------------------------------------------------------------------------

# --- security: personal data encryption (issue 7; edit only inside this block) -------------------
# ID numbers and phones are stored encrypted (apps/core/crypto.py). PII_KEYS: comma-separated Fernet keys
# (`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`); the first
# encrypts, all decrypt; rotate by putting a new key first, running `manage.py rotate_pii_key`, then dropping
# the old one. PII_HASH_KEY: the secret of the lookup hashes (HMAC-SHA256); changing it also needs
# `rotate_pii_key`. Development and tests derive both from SECRET_KEY; production must set them.
if DEBUG or TESTING or env.bool("DEV_DEFAULTS", default=False):
    import base64 as _base64
    import hashlib as _hashlib

    _dev_pii = _hashlib.sha256(f"pii-key:{SECRET_KEY}".encode()).digest()
    PII_KEYS = env.list("PII_KEYS", default=[_base64.urlsafe_b64encode(_dev_pii).decode()])
    PII_HASH_KEY = env("PII_HASH_KEY", default=_hashlib.sha256(f"pii-hash:{SECRET_KEY}".encode()).hexdigest())
else:  # production: no defaults, fail at startup
    PII_KEYS = env.list("PII_KEYS", default=[])
    PII_HASH_KEY = env("PII_HASH_KEY", default="")
    from django.core.exceptions import ImproperlyConfigured as _ImproperlyConfigured

    if not PII_KEYS or not PII_HASH_KEY:
        raise _ImproperlyConfigured("Set PII_KEYS (Fernet keys, comma-separated) and PII_HASH_KEY: personal data "
                                    "is encrypted at rest and cannot be stored without them.")
    if len(PII_HASH_KEY) < 32:
        raise _ImproperlyConfigured("PII_HASH_KEY must be at least 32 characters long.")
    from cryptography.fernet import Fernet as _Fernet

    try:
        [_Fernet(_key) for _key in PII_KEYS]
    except ValueError as _exc:
        raise _ImproperlyConfigured("Each key in PII_KEYS must be a Fernet key (32 url-safe base64 bytes).") from _exc
# --- end personal data ----------------------------------------------------------------------------

# --- security: web hardening (issue 7; edit only inside this block) ------------------------------
# HTTPS (set with the cookies above; on in production unless HTTPS=false, off with the development defaults so
# http://127.0.0.1 keeps working): secure cookies, redirect to HTTPS, and HSTS.
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes on the internal network speak plain HTTP
    # One year (the minimum the browsers' preload list accepts). The header only covers this host and its own
    # subdomains (e.g. rd.example.gov.cn and *.rd.example.gov.cn, never the parent domain), all served by this
    # site, so includeSubDomains is safe. "preload" is only consent: nothing happens until the owner of the
    # registrable domain submits it at hstspreload.org; set SECURE_HSTS_PRELOAD=false if that domain still has
    # plain-HTTP sites and must never be preloaded.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if NUM_PROXIES:  # TLS ends at the proxy, which must set (and overwrite) X-Forwarded-Proto
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent on every response by apps.core.middleware.SecurityHeadersMiddleware. No 'unsafe-inline', no 'unsafe-eval':
# templates carry no <script> blocks, no on* handlers and no style="..." attributes (classes in static/css/app.css);
# static/js/app.js turns off htmx's injected indicator <style> and eval. data: images are Bootstrap's SVG icons.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
CSRF_FAILURE_VIEW = "apps.core.views_errors.csrf_failure"
# --- end web hardening ----------------------------------------------------------------------------

# --- reliability: outbox, locking, health, backups (issue 7; edit only inside this block) --------
# Celery: a task is acknowledged only after it ran (a worker killed mid-task leaves it to another), one task
# at a time per worker process; publishing fails fast when the broker is down (jobs wait in the outbox).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# Publishing gives up after two quick retries instead of retrying forever (a page must not hang on a dead broker).
CELERY_BROKER_TRANSPORT_OPTIONS = {**globals().get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
                                   "max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
                                        "socket_timeout": 10, "visibility_timeout": 3600}
# The outbox: how long a job may wait before staff see a banner, how long sent jobs are kept.
OUTBOX_BANNER_AFTER_SECONDS = env.int("OUTBOX_BANNER_AFTER_SECONDS", default=60)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("apps.core.context_processors.outbox_backlog")
# /healthz: the worker is "stale" when its heartbeat task (every minute) has not run for this long.
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=180)
# `make backup` / `manage.py backup`: where the dumps go.
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(VAR_DIR / "backups")))
# --- end reliability ------------------------------------------------------------------------------
# Scores follow their records: a change that feeds a score marks the mandate, and the refresh job recomputes the
# marked mandates this many seconds later (a burst of changes in that window: one job).
SCORE_REFRESH_DELAY_SECONDS = env.float("SCORE_REFRESH_DELAY_SECONDS", default=3.0)
