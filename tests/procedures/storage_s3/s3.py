"""What the S3 tests share: the city's bucket and its settings, a fresh interpreter to
read the settings module with them, and a look into the bucket."""

import os
import subprocess
import sys

BUCKET = "malves-documents"
REGION = "eu-west-3"
PREFIX = "private"  # PORTAIL_S3_PREFIX's default: every key starts with it
# What a city's administrator sets (README, docs/procedures.md); no endpoint: AWS itself,
# which moto stands in for.
S3_ENV = {
    "PORTAIL_STORAGE": "s3",
    "PORTAIL_S3_BUCKET": BUCKET,
    "PORTAIL_S3_REGION": REGION,
    "PORTAIL_S3_ACCESS_KEY_ID": "test-key",
    "PORTAIL_S3_SECRET_ACCESS_KEY": "test-secret",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter whose environment has `env` and no other PORTAIL_ or
    AWS_ variable (the settings are read once per process)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAIL_", "AWS_"))}
    base["DJANGO_SETTINGS_MODULE"] = "portail.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def keys(client) -> list[str]:
    """Every object's key in the bucket, sorted."""
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))
