"""Settings for the disclosure portal.

One module, driven by environment variables (see README.md, "Configuration").
Development defaults apply only when ``DEBUG`` is on; in production the portal
refuses to start without a ``SECRET_KEY``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, "
            "or DEBUG=1 for a development machine."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "catalog",
    "disclosure",
    # Last: its admin replaces Django's user, group and device admins.
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security headers high up, so that every response has them: static
    # files, and the 400 page for a bad Host header (raised further down).
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # no-store for staff areas and signed-in users (PORTAL_PRIVATE_PATHS).
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SessionActivityMiddleware",
    "portal.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, so that refused posts count too.
    "portal.middleware.AnonymousPostRateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (the CSRF check does, in process_view).
    "portal.middleware.RequestBodyLimitMiddleware",
    "portal.accounts.audit.ActorMiddleware",  # who acts, for the account trail
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# --- Database -------------------------------------------------------------
_default_sqlite = VAR_DIR / "portal.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{_default_sqlite}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
# Redis errors are misses, never 500s (portal/cache.py); a Redis that hangs
# counts as down after CACHE_SOCKET_TIMEOUT seconds.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
_redis_timeout = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES["default"] = {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        "OPTIONS": {
            "socket_connect_timeout": _redis_timeout,
            "socket_timeout": _redis_timeout,
        },
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL/REDIS_URL must start with redis://, rediss:// or unix://, "
        f"got {CACHE_URL!r}"
    )

# --- Scaling out: read replicas, sessions, object storage (docs/deploy.md) --
# DATABASE_REPLICA_URLS: comma-separated URLs of read replicas of the primary,
# as aliases replica_0, replica_1, …; public reads go to them
# (portal/db_router.py). The test runner points them at the test database.
_replica_urls = env_list("DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(_replica_urls):
    DATABASES[f"replica_{_number}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
if _replica_urls:
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "portal.db_router.ReplicaMiddleware",
    )
# SESSION_ENGINE: db (default) or cache: sessions in the database, read through
# Redis (copies at most 60 s old); signed keys, so a made-up cookie costs no query
# (portal/sessions/). A Redis outage neither signs anyone out nor stops logins.
_session_engine = os.environ.get("SESSION_ENGINE", "db")
if _session_engine not in ("db", "cache") or not (CACHE_URL or _session_engine == "db"):
    raise ImproperlyConfigured("SESSION_ENGINE must be db, or cache with REDIS_URL")
SESSION_ENGINE = "portal.sessions.db"
if _session_engine == "cache":
    SESSION_ENGINE, SESSION_CACHE_ALIAS = "portal.sessions.cached_db", "sessions"
    CACHES["sessions"] = {**CACHES["default"], "MAX_TIMEOUT": 60}

# --- Accounts -------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        # Django's, with the message in Chinese.
        "NAME": "portal.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # At least three of: upper case, lower case, digits, symbols.
    {
        "NAME": "portal.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": 3},
    },
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses a locked-out username and address.
    "axes.backends.AxesStandaloneBackend",
    # Then the per-account slowing down, whatever the address.
    "portal.accounts.throttle.AccountThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/workspace/"
LOGOUT_REDIRECT_URL = "/"
# Signed out after SESSION_COOKIE_AGE seconds without a request, and when the
# browser closes. A signed-in user's requests renew the session, at most once
# every PORTAL_SESSION_TOUCH_SECONDS (portal.middleware.SessionActivityMiddleware)
# rather than with a database write on every request; SESSION_SAVE_EVERY_REQUEST=1
# renews it on every request instead.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = env_bool("SESSION_SAVE_EVERY_REQUEST", False)
PORTAL_SESSION_TOUCH_SECONDS = int(os.environ.get("PORTAL_SESSION_TOUCH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout (django-axes): after PORTAL_LOGIN_FAILURE_LIMIT failed logins
# for one username from one address, that pair is locked for
# PORTAL_LOGIN_LOCKOUT_MINUTES; a security administrator unlocks it earlier in
# the admin (删除"访问尝试"记录).
AXES_FAILURE_LIMIT = int(os.environ.get("PORTAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("PORTAL_LOGIN_LOCKOUT_MINUTES", "30"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_ip"
AXES_VERBOSE = False
# Per account, from any address (portal/accounts/throttle.py): slowed down
# after a number of wrong passwords, never locked for the holder's browser.
PORTAL_ACCOUNT_FAILURE_LIMIT = env_int("PORTAL_ACCOUNT_FAILURE_LIMIT", 10)
PORTAL_ACCOUNT_DELAY_SECONDS = env_int("PORTAL_ACCOUNT_DELAY_SECONDS", 60)
PORTAL_ACCOUNT_MAX_DELAY_SECONDS = env_int("PORTAL_ACCOUNT_MAX_DELAY_SECONDS", 900)
PORTAL_TRUSTED_DEVICE_DAYS = env_int("PORTAL_TRUSTED_DEVICE_DAYS", 180)
# The request header that the reverse proxy sets to the client's address (e.g.
# HTTP_X_REAL_IP); empty: the connection's address (REMOTE_ADDR).
PORTAL_CLIENT_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER", "")

# Two-factor authentication (TOTP, django-otp). Required, when this is on, for
# reviewers, office administrators, department heads (they sign items off),
# the system, security and audit administrators, staff (admin) users and
# superusers; every other account may turn it on from its security page.
# Default: on in production, off with DEBUG (the demo works without an app).
PORTAL_2FA_REQUIRED = env_bool("PORTAL_2FA_REQUIRED", not DEBUG)
PORTAL_2FA_REQUIRED_GROUPS = [
    "reviewer",
    "office_admin",
    "system_admin",
    "security_admin",
    "auditor",
]
PORTAL_2FA_REQUIRED_FOR_HEADS = env_bool("PORTAL_2FA_REQUIRED_FOR_HEADS", True)
# Who needs two factors and has not given the second is sent to it from these.
PORTAL_2FA_PROTECTED_PATHS = [
    "/workspace/",
    "/admin/",
    "/accounts/security/",
    "/accounts/password_change/",
]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "政务公开门户")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Anonymous posts: PORTAL_RATE_LIMIT_POSTS per PORTAL_RATE_LIMIT_WINDOW seconds
# per address and form, then 429. Requests for information: README.
PORTAL_RATE_LIMIT_POSTS = int(os.environ.get("PORTAL_RATE_LIMIT_POSTS", "20"))
PORTAL_RATE_LIMIT_WINDOW = int(os.environ.get("PORTAL_RATE_LIMIT_WINDOW", "60"))
PORTAL_REQUEST_SUBMISSIONS_PER_HOUR = env_int("PORTAL_REQUEST_SUBMISSIONS_PER_HOUR", 5)
PORTAL_REQUEST_TRACK_FAILURES = env_int("PORTAL_REQUEST_TRACK_FAILURES", 10)
PORTAL_REQUEST_ID_RETENTION_DAYS = env_int("PORTAL_REQUEST_ID_RETENTION_DAYS", 1095)
PORTAL_PDF_FONT = os.environ.get("PORTAL_PDF_FONT", "")  # "": fonts-arphic-uming

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Object storage for uploads (S3 API: AWS S3, MinIO, Aliyun OSS, Tencent COS)
# when AWS_STORAGE_BUCKET_NAME is set (django-storages; credentials from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3). Files stay
# private: the portal serves attachments itself, after its visibility checks.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION_NAME") or None,
            "location": os.environ.get("S3_LOCATION", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- Attachments: bounds for unpacking -------------------------------------
# DOCX, XLSX and OFD files are ZIP packages: their parts are unpacked within
# these bounds while the document metadata is removed (disclosure/scrub/
# zipbounds.py), so that a small file cannot make a worker unpack gigabytes.
# A file over any of them is refused at upload with a message for the clerk.
_MB = 1024 * 1024
PORTAL_UPLOAD_ZIP_MAX_PARTS = int(
    os.environ.get("PORTAL_UPLOAD_ZIP_MAX_PARTS", "10000")
)
PORTAL_UPLOAD_ZIP_MAX_PART_BYTES = (
    int(os.environ.get("PORTAL_UPLOAD_ZIP_MAX_PART_MB", "256")) * _MB
)
PORTAL_UPLOAD_ZIP_MAX_TOTAL_BYTES = (
    int(os.environ.get("PORTAL_UPLOAD_ZIP_MAX_TOTAL_MB", "512")) * _MB
)
PORTAL_UPLOAD_ZIP_MAX_RATIO = int(os.environ.get("PORTAL_UPLOAD_ZIP_MAX_RATIO", "100"))
PORTAL_UPLOAD_ZIP_MAX_DEPTH = int(os.environ.get("PORTAL_UPLOAD_ZIP_MAX_DEPTH", "2"))
PORTAL_UPLOAD_ZIP_MAX_XML_BYTES = (
    int(os.environ.get("PORTAL_UPLOAD_ZIP_MAX_XML_MB", "32")) * _MB
)

# --- E-mail ---------------------------------------------------------------
# The console with DEBUG, SMTP otherwise. With DEBUG off, `check --deploy`
# fails unless mail really leaves the server (portal/checks.py): EMAIL_HOST
# set, a backend that sends, a DEFAULT_FROM_EMAIL of a real domain.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Request bodies -------------------------------------------------------
# Refused on Content-Length before anything reads them (portal.middleware.
# RequestBodyLimitMiddleware; nginx has the same limits, docs/deploy.md); the
# larger limit for signed-in users on the upload paths only. Within the
# general limit a body is parsed in memory: nothing anonymous is spooled.
PORTAL_MAX_REQUEST_BYTES = env_int("PORTAL_MAX_REQUEST_BYTES", 3 * _MB)
PORTAL_MAX_UPLOAD_REQUEST_BYTES = env_int("PORTAL_MAX_UPLOAD_REQUEST_BYTES", 100 * _MB)
PORTAL_UPLOAD_PATHS = [
    r"^/workspace/items/[^/]+/files/$",
    r"^/admin/catalog/catalogentry/import/$",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = PORTAL_MAX_REQUEST_BYTES

# --- Security -------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
# Cache-Control: private, no-store on these paths and on every response to a
# signed-in user (portal.middleware.PrivatePagesMiddleware).
PORTAL_PRIVATE_PATHS = ["/workspace/", "/admin/", "/accounts/"]
# Sent on every response (portal.middleware.PermissionsPolicyMiddleware): the
# portal uses none of these browser features, nor may anything it embeds.
PORTAL_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
)
# Django's /i18n/setlang/ sets its cookie as portal.views does its own.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Portal ---------------------------------------------------------------
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Second-factor set-ups, verifications and failures (logins and
        # lockouts are recorded by django-axes in the database).
        "portal.security": {"level": os.environ.get("SECURITY_LOG_LEVEL", "INFO")},
    },
}
