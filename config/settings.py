"""Settings from environment variables; defaults are safe for development (see README)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-4f7a1c9e"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
if PRODUCTION and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_PRODUCTION=1")

# ID numbers encrypted at rest (core.crypto): Fernet keys, the first encrypts, all decrypt (rotation);
# a separate key for the HMAC look-up columns. Fixed keys for development and tests only.
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLWxvbmc="
_DEV_HMAC_KEY = "dev-only-hmac-key-do-not-use-in-production"
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEYS") or [_DEV_FIELD_KEY]
FIELD_HMAC_KEY = env_str("DJANGO_FIELD_HMAC_KEY", _DEV_HMAC_KEY)
if PRODUCTION and (_DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS or FIELD_HMAC_KEY == _DEV_HMAC_KEY):
    raise ImproperlyConfigured(
        "DJANGO_FIELD_ENCRYPTION_KEYS and DJANGO_FIELD_HMAC_KEY must be set when DJANGO_PRODUCTION=1"
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "ninja",  # serves the API docs' assets locally (never from a CDN)
    "django_tasks",
    "django_tasks_db",
    # project apps, one per bounded context
    "core",
    "accounts",
    "applicants",
    "employers",
    "materials",
    "cases",
    "permits",
    "oversight",
    "eligibility",
    "simulations",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.uploads.UploadLimitMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.StorageErrorMiddleware",
]

# Strict CSP (core.csp): no inline script or style, no plugins, no framing, forms post to us only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

if PRODUCTION:  # static files collected into STATIC_ROOT and served compressed by WhiteNoise
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

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
                "django.template.context_processors.i18n",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
# Reverse proxies in front of the service; the client address is the hop the outermost one added to
# X-Forwarded-For (core.clientip), for django-axes and the API rate limits alike.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# Identity provider for applicants' real-name check: "dev" (checksum only) or "oidc".
IDENTITY_PROVIDER = env_str("IDENTITY_PROVIDER", "dev")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
# The ID token's `iss` must equal this (when set); its `aud` must hold OIDC_RP_CLIENT_ID (accounts.oidc).
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile idcard")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sign-in-refused/"  # accounts:oidc_refused
if IDENTITY_PROVIDER == "oidc":
    AUTHENTICATION_BACKENDS.append("accounts.oidc.BeijingTongBackend")

# Sessions expire after SESSION_IDLE_SECONDS without a request and SESSION_ABSOLUTE_SECONDS after login.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60)
# The time last seen is rewritten (one UPDATE of the session row) at most this often.
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
FORMAT_MODULE_PATH = ["config.formats"]  # ISO dates in date inputs (config/formats/zh_Hans)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Registration attempts (applicant and employer) per client address and window (core.ratelimit).
REGISTRATION_RATE_LIMIT = env_int("REGISTRATION_RATE_LIMIT", 10)
REGISTRATION_RATE_WINDOW_SECONDS = env_int("REGISTRATION_RATE_WINDOW_SECONDS", 3600)

UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The first handler stops reading an upload at UPLOAD_MAX_BYTES (core.uploads).
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Larger uploads spool here (not the system temporary directory); cleaned of leftovers at start-up.
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", str(VAR_DIR / "upload-tmp"))
# Stored files no row refers to are removed once this old, by every worker every ORPHAN_SWEEP_SECONDS.
ORPHAN_FILE_MAX_AGE_SECONDS = env_int("ORPHAN_FILE_MAX_AGE_SECONDS", 3 * 3600)
ORPHAN_SWEEP_SECONDS = env_int("ORPHAN_SWEEP_SECONDS", 3600)

# Private files: local disk by default, S3-compatible object storage when STORAGE_BACKEND=s3.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")
_private_storage: dict[str, object]
if STORAGE_BACKEND == "s3":
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", "permits"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION", "cn-north-1"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _private_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Mail: console by default; EMAIL_HOST switches to SMTP.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "海淀区人力资源公共服务中心 <noreply@hdrc.example.cn>")

# Background tasks: run in-process by default; TASKS_BACKEND=database queues them for `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env_str("TASKS_BACKEND") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# Recovery of background work (core.recovery, core.outbox; see README "Workers").
WORKER_HEARTBEAT_TIMEOUT = env_int("WORKER_HEARTBEAT_TIMEOUT", 30)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 60)
READY_MAX_QUEUE_AGE_SECONDS = env_int("READY_MAX_QUEUE_AGE_SECONDS", 600)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

OTP_TOTP_ISSUER = "海淀工作居住证"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
