"""Weft settings, read from the environment (django-environ).

Integrations stay off unless configured; the only secret with a default is the
development SECRET_KEY, refused when DEBUG is off.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("WEFT_DEBUG", default=True)
SECRET_KEY = env("WEFT_SECRET_KEY", default="dev-only-insecure-key-change-me")
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set WEFT_SECRET_KEY when WEFT_DEBUG is off.")

# Tenants live at <subdomain>.<ROOT_DOMAIN>; the public site at ROOT_DOMAIN.
ROOT_DOMAIN = env("WEFT_ROOT_DOMAIN", default="localhost")
# Port and scheme used when building absolute links to a tenant (handoff, emails).
PUBLIC_PORT = env.int("WEFT_PUBLIC_PORT", default=8000)
PUBLIC_SCHEME = env("WEFT_PUBLIC_SCHEME", default="http")
ALLOWED_HOSTS = [ROOT_DOMAIN, f".{ROOT_DOMAIN}", "127.0.0.1"]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "billing",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "core.users",
    "core.org",
    "web",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "core.users",
    "core.org",
    "core.catalog",
    "core.audit",
    "core.approvals",
    "core.notifications",
    "modules.crm",
    "modules.distribution",
    "modules.inventory",
    "modules.contracts",
    "modules.service",
    "modules.finance",
    "modules.oa",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_LIMIT_SET_CALLS = True
# The template every new tenant schema is cloned from (a registered tenant).
TENANT_TEMPLATE_SCHEMA = "t_template"
# How many spare, already-cloned schemas to keep ready for signups.
TENANT_SPARE_POOL_SIZE = env.int("WEFT_SPARE_POOL_SIZE", default=3)
PUBLIC_SCHEMA_URLCONF = "core.urls_public"
ROOT_URLCONF = "core.urls_tenant"
AUTH_USER_MODEL = "users.User"

MIDDLEWARE = [
    "core.security.SecurityHeadersMiddleware",
    "tenants.middleware.TenantResolutionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.middleware.TenantLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.support.SupportSessionMiddleware",
    "tenants.middleware.TenantActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.modules.middleware.ModuleGuardMiddleware",
    "core.timezones.TenantTimezoneMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.navigation",
                "core.notifications.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "core.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/weft"),
}
DATABASES["default"]["ENGINE"] = "core.db_backend"
# Connections touching many schemas grow catalog caches: recycle them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("WEFT_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = env("WEFT_TEST_DATABASE", default="test_weft")
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Redis caches that degrade instead of failing while Redis is unreachable
# (core/cache.py): reads miss, writes are dropped, throttles fail open, logged.
# Short socket timeouts keep an unreachable Redis from stalling requests.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("WEFT_CACHE_PREFIX", default="weft"),
        # Every key carries the schema it was written in.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": REDIS_CACHE_OPTIONS,
    },
    # Platform-wide keys (hostname -> tenant, signup limits): same key in every schema.
    "platform": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("WEFT_CACHE_PREFIX", default="weft") + ":platform",
        "OPTIONS": REDIS_CACHE_OPTIONS,
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Host-only cookies: a session or CSRF cookie never crosses subdomains.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("WEFT_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS. With debug off, HTTPS responses carry Strict-Transport-Security (tenants
# are subdomains, so by default it covers them). Behind a TLS-terminating proxy,
# X-Forwarded-Proto tells Django the request was HTTPS: the proxy must set it and
# drop any value a client sent (WEFT_BEHIND_PROXY=false when there is no proxy).
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("WEFT_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("WEFT_HSTS_INCLUDE_SUBDOMAINS", default=True)
if env.bool("WEFT_BEHIND_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (core/security.py): our own origin only, no inline
# script or style. Forms may post to tenant subdomains: the root site's signup
# and workspace sign-in end in a redirect there, and form-action covers redirects.
# A form that redirects to an outside host (e.g. Stripe Checkout) needs that host here.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", f"http://*.{ROOT_DOMAIN}:*", f"https://*.{ROOT_DOMAIN}"],
}
# Paths whose page boots from an inline script (swagger-ui): that script is
# allowed by its hash, inline styles are allowed; nothing else is relaxed.
CSP_DOCS_PATHS = ["/api/docs/"]
PERMISSIONS_POLICY = {
    "accelerometer": "()", "camera": "()", "geolocation": "()", "gyroscope": "()", "magnetometer": "()",
    "microphone": "()", "payment": "()", "usb": "()", "display-capture": "()", "fullscreen": "(self)",
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins allowed per (tenant, email) and per (tenant, IP) in the window.
LOGIN_FAILURE_LIMIT = env.int("WEFT_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
API_TOKEN_DEFAULT_DAYS = 90
SIGNUP_HANDOFF_SECONDS = 60
# Signups allowed per client IP per hour (each one creates a schema).
SIGNUP_RATE_PER_HOUR = env.int("WEFT_SIGNUP_RATE_PER_HOUR", default=10)

# Billing (Stripe). Without keys the install runs in offline mode: signup and
# the product work, trials do not expire, billing pages say billing is off.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
if bool(STRIPE_SECRET_KEY) != bool(STRIPE_WEBHOOK_SECRET):
    raise ImproperlyConfigured("Set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither.")
# Another API host (tests point this at a local fake Stripe server).
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Stripe price per plan and interval: "starter:month=price_1,starter:year=price_2,...".
STRIPE_PRICE_IDS = env.dict("STRIPE_PRICE_IDS", default={})
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
# Days of full access after a failed payment; read-only after that.
GRACE_PERIOD_DAYS = env.int("WEFT_GRACE_PERIOD_DAYS", default=7)
# Billing pages post forms that redirect to Stripe Checkout and the customer
# portal; those pages (only) add these origins to their CSP form-action.
STRIPE_REDIRECT_ORIGINS = env.list(
    "STRIPE_REDIRECT_ORIGINS", default=["https://checkout.stripe.com", "https://billing.stripe.com"]
)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
# Uploaded attachments live under MEDIA_ROOT/<tenant schema>/ and are served only
# by permission-checked views (there is no MEDIA_URL). Largest file accepted:
ATTACHMENT_MAX_BYTES = env.int("WEFT_ATTACHMENT_MAX_MB", default=20) * 1024 * 1024
EMAIL_BACKEND = env("WEFT_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("WEFT_FROM_EMAIL", default="Weft <no-reply@weft.localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TenantPermission"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.ListFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Weft API",
    "DESCRIPTION": "Per-tenant REST API. Call it on your workspace host, e.g. https://acme.weft.example/api/v1/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApprovalRequestStateEnum": "core.approvals.models.RequestState",
        "ApprovalStepStateEnum": "core.approvals.models.StepState",
        "ApprovalAssignmentStateEnum": "core.approvals.models.AssignmentState",
        "ApprovalStepKindEnum": "core.approvals.models.StepKind",
    },
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("WEFT_CELERY_EAGER", default=False)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("WEFT_CELERY_VISIBILITY", default=3600)}
CELERY_BEAT_SCHEDULE = {
    "refill-spare-pool": {"task": "tenants.tasks.refill_spare_pool", "schedule": 60.0},
    "build-queued-exports": {"task": "tenants.tasks.build_queued_exports", "schedule": 300.0},
    "delete-due-tenants": {"task": "tenants.tasks.delete_due_tenants", "schedule": 3600.0},
    "purge-expired-tokens": {"task": "core.users.tasks.purge_expired_tokens_everywhere", "schedule": 3600.0},
    "deliver-due-reminders": {"task": "core.notifications.tasks.deliver_due_reminders_everywhere", "schedule": 60.0},
    "billing-expire-trials": {"task": "billing.tasks.expire_trials", "schedule": 900.0},
    "billing-retry-events": {"task": "billing.tasks.retry_pending_events", "schedule": 300.0},
    "billing-sync-seats": {"task": "billing.tasks.sync_all_seats", "schedule": 3600.0},
    "crm-flag-stale-opportunities": {"task": "modules.crm.tasks.flag_stale_opportunities_everywhere",
                                     "schedule": 3600.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant_context": {"()": "django_tenants.log.TenantContextFilter"}},
    "formatters": {
        "tenant": {"format": "%(asctime)s %(levelname)s [%(schema_name)s:%(domain_url)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["tenant_context"], "formatter": "tenant"},
    },
    "root": {"handlers": ["console"], "level": env("WEFT_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
