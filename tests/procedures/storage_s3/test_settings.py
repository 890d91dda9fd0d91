"""The settings module with PORTAIL_STORAGE=s3 and its variables, in a process of its own:
STORAGES["private"] is django-storages' S3Storage (the `s3` extra installed for the
tests) on the bucket, region, keys and prefix given, private (no ACL of its own, no
overwrite, short-lived signed URLs)."""

import json

from .s3 import BUCKET, REGION, S3_ENV, run_python

READ_STORAGE = (
    "import django, json; django.setup(); "
    "from django.core.files.storage import storages; s = storages['private']; "
    "print(json.dumps({'class': type(s).__module__ + '.' + type(s).__name__, "
    "'bucket': s.bucket_name, 'region': s.region_name, 'location': s.location, "
    "'access_key': s.access_key, 'endpoint': s.endpoint_url, 'acl': s.default_acl, "
    "'overwrite': s.file_overwrite, 'signed': s.querystring_auth, "
    "'expire': s.querystring_expire}))"
)


def read_storage(env: dict[str, str]) -> dict:
    result = run_python(READ_STORAGE, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_settings_module_builds_the_s3_storage_from_the_environment():
    assert read_storage(S3_ENV) == {
        "class": "storages.backends.s3.S3Storage",
        "bucket": BUCKET,
        "region": REGION,
        "location": "private",
        "access_key": "test-key",
        "endpoint": None,
        "acl": None,
        "overwrite": False,
        "signed": True,
        "expire": 300,
    }


def test_an_s3_compatible_provider_its_endpoint_and_prefix():
    read = read_storage(
        {
            **S3_ENV,
            "PORTAIL_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
            "PORTAIL_S3_REGION": "fr-par",
            "PORTAIL_S3_PREFIX": "malves/documents",
            "PORTAIL_S3_QUERYSTRING_EXPIRE": "60",
        }
    )
    assert (read["endpoint"], read["region"], read["location"], read["expire"]) == (
        "https://s3.fr-par.scw.cloud",
        "fr-par",
        "malves/documents",
        60,
    )
