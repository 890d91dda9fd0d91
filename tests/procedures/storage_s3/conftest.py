"""A private bucket in moto's stand-in for S3 (no network), and STORAGES["private"] as
portail/settings.py builds it from PORTAIL_STORAGE=s3 and its variables."""

import json

import boto3
import pytest
from moto import mock_aws

from .s3 import BUCKET, REGION, S3_ENV, run_python


@pytest.fixture(scope="module")
def s3_storage_setting() -> dict:
    """STORAGES["private"] as the settings module builds it from S3_ENV."""
    result = run_python(
        "import json, portail.settings as s; print(json.dumps(s.STORAGES['private']))", S3_ENV
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def bucket(settings, s3_storage_setting):
    """The city's bucket, empty, in moto; STORAGES["private"] pointed at it. Yields a boto3
    client to look into the bucket as the provider's console would."""
    with mock_aws():
        client = boto3.client(
            "s3",
            region_name=REGION,
            aws_access_key_id="test-key",
            aws_secret_access_key="test-secret",
        )
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        settings.STORAGES = {**settings.STORAGES, "private": s3_storage_setting}
        yield client
