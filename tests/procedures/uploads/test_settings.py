"""STORAGES["private"] from the environment: a folder outside the static files by
default, an S3-compatible bucket with PORTAIL_STORAGE=s3 (django-storages, the `s3`
extra: its settings are read even where it is not installed)."""

import json
import os
import subprocess
import sys

PRINT_STORAGE = (
    "import json, portail.settings as s; "
    "print(json.dumps({'private': s.STORAGES['private'], 'static': str(s.STATIC_ROOT), "
    "'max_mb': s.PORTAIL_UPLOAD_MAX_MB}))"
)


def settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAIL_", "AWS_"))}
    return subprocess.run(
        [sys.executable, "-c", PRINT_STORAGE],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_by_default_a_private_folder_in_the_data_folder():
    result = settings_with({"PORTAIL_DATA_DIR": "/srv/portail"})

    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert read["private"]["OPTIONS"]["location"] == "/srv/portail/private"
    assert read["private"]["OPTIONS"]["base_url"] is None  # no URL: served by views only
    assert read["static"] == "/srv/portail/static"
    assert read["max_mb"] == 10


def test_an_s3_bucket_configured_from_the_environment():
    result = settings_with(
        {
            "PORTAIL_STORAGE": "s3",
            "PORTAIL_S3_BUCKET": "malves-documents",
            "PORTAIL_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
            "PORTAIL_S3_REGION": "fr-par",
            "PORTAIL_S3_ACCESS_KEY_ID": "key",
            "PORTAIL_S3_SECRET_ACCESS_KEY": "secret",
            "PORTAIL_S3_QUERYSTRING_EXPIRE": "60",
            "PORTAIL_UPLOAD_MAX_MB": "5",
        }
    )

    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["private"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "malves-documents",
            "endpoint_url": "https://s3.fr-par.scw.cloud",
            "region_name": "fr-par",
            "access_key": "key",
            "secret_key": "secret",
            "location": "private",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
    assert read["max_mb"] == 5


def test_a_bucket_is_required_and_the_storage_must_be_known():
    no_bucket = settings_with({"PORTAIL_STORAGE": "s3"})
    unknown = settings_with({"PORTAIL_STORAGE": "ftp"})
    no_limit = settings_with({"PORTAIL_UPLOAD_MAX_MB": "0"})

    assert no_bucket.returncode != 0 and "PORTAIL_S3_BUCKET" in no_bucket.stderr
    assert unknown.returncode != 0 and "PORTAIL_STORAGE" in unknown.stderr
    assert no_limit.returncode != 0 and "PORTAIL_UPLOAD_MAX_MB" in no_limit.stderr
