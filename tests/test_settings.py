"""Production settings: refuse to start half-configured, pass Django's deploy checks."""

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "PORTAIL_ENV": "production",
    "SECRET_KEY": "k3J9x!q2Lm7Zp0Wv8Rt5Yb1Nc4Hd6Fg_aS-eU+oI=uY#tR@wQ%eE^rT&yU*iO(pA)sD",
    "ALLOWED_HOSTS": "portail.example.org",
    "PAYFIP_NUMCLI": "012345",
    "PAYFIP_WS_URL": "https://payfip.example.org/tpa/services/securite",
    "PAYFIP_PAYMENT_URL": "https://payfip.example.org/tpa/paiementws.web",
    "PORTAIL_BASE_URL": "https://portail.example.org",
    "DATABASE_URL": "sqlite:////tmp/portail-settings-check.sqlite3",
}


def run_portail(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAIL_", "PAYFIP_"))}
    base.pop("SECRET_KEY", None)
    base.pop("ALLOWED_HOSTS", None)
    base["DJANGO_SETTINGS_MODULE"] = "portail.settings"
    return subprocess.run(
        [sys.executable, "-m", "portail", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_deploy_checks():
    result = run_portail("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "PAYFIP_NUMCLI", "PAYFIP_WS_URL", "PORTAIL_BASE_URL"]
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_portail("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_portail("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_never_enables_demo_mode():
    env = {**PRODUCTION_ENV, "PORTAIL_DEMO": "1"}
    result = run_portail(
        "shell", "-c", "from django.conf import settings; print(settings.PORTAIL_DEMO)", env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_bad_boolean_setting_is_reported_by_name():
    result = run_portail("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [(None, "False"), ("1", "True")])
def test_connection_health_checks_are_a_setting_off_by_default(value, expected):
    """A health check is a statement per request: off unless DB_CONN_HEALTH_CHECKS=1."""
    env = {"DATABASE_URL": "postgres://portail@127.0.0.1:5432/portail"}
    if value is not None:
        env["DB_CONN_HEALTH_CHECKS"] = value
    result = run_portail(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
