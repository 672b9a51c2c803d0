"""Production: DEBUG off, secrets required, HTTPS only.

Required environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL.
See README "Running in production" for the rest.
"""

from .base import *
from .base import env

DEBUG = False

# No silent fallbacks in production: SQLite and an empty host list are for
# laptops. Start-up fails here if either is missing.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db_url_config(env("DATABASE_URL"))}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one TLS proxy that appends the client's address to
# X-Forwarded-For; without this every sign-in would seem to come from the
# proxy, and the per-address limit would lock out the whole council.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The container health check calls over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Uploaded files on object storage instead of the local MEDIA_ROOT (README
# "Where documents are stored"). Each needs django-storages (and boto3 or
# azure-storage-blob) added to the image; the default needs nothing. Files
# stay private: the service streams each download through a view that checks
# and logs it, so no bucket or container is ever made public.
FILE_STORAGE = env("FILE_STORAGE", default="local")
if FILE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            # Empty for AWS itself; set for S3-compatible stores (MinIO, Ceph).
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "location": env("AWS_LOCATION", default="media"),
            # No ACL header: the bucket's own policy (private) applies.
            "default_acl": None,
            "file_overwrite": False,
        },
    }
elif FILE_STORAGE == "azure":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.azure_storage.AzureStorage",
        "OPTIONS": {
            "account_name": env("AZURE_ACCOUNT_NAME", default=None),
            "account_key": env("AZURE_ACCOUNT_KEY", default=None),
            "connection_string": env("AZURE_CONNECTION_STRING", default=None),
            "azure_container": env("AZURE_CONTAINER", default="media"),
            "overwrite_files": False,
        },
    }
elif FILE_STORAGE != "local":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FILE_STORAGE must be local, s3 or azure")
