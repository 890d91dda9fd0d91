"""In development and the demo, e-mails go to files under DATA_DIR/mail by default, not to
the server's console (where they were mixed with request lines and base64 PDFs), unless
EMAIL_HOST or EMAIL_FILE_PATH say otherwise.

The tests themselves use Django's locmem backend (pytest-django sets it), so the settings
are read in a separate process with the environment given, as `portail` reads them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings import PRODUCTION_ENV

FILEBASED = "django.core.mail.backends.filebased.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps([s.EMAIL_BACKEND, str(s.EMAIL_FILE_PATH)]))"
)
SEND = (
    "from django.core.mail import send_mail; "
    "send_mail('Demo subject', 'Demo body', 'noreply@example.org', ['parent@example.org'])"
)


def portail_shell(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`portail shell -c code` with only these portal, PayFiP and e-mail settings set."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PORTAIL_", "PAYFIP_", "EMAIL_", "DJANGO_"))
        and k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG")
    }
    result = subprocess.run(
        [sys.executable, "-m", "portail", "shell", "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "portail.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def mail_settings(env: dict[str, str]) -> tuple[str, str]:
    backend, path = json.loads(portail_shell(SHOW, env).stdout.strip().splitlines()[-1])
    return backend, path


def test_by_default_development_writes_e_mails_to_files_in_the_data_dir(tmp_path):
    assert mail_settings({"PORTAIL_DATA_DIR": str(tmp_path)}) == (
        FILEBASED,
        str(tmp_path / "mail"),
    )


def test_an_e_mail_sent_in_the_demo_is_a_file_not_console_output(tmp_path):
    result = portail_shell(SEND, {"PORTAIL_DATA_DIR": str(tmp_path)})
    assert "Demo subject" not in result.stdout + result.stderr
    [message] = list((tmp_path / "mail").iterdir())
    text = message.read_text()
    assert "Subject: Demo subject" in text
    assert "To: parent@example.org" in text


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"EMAIL_FILE_PATH": "/srv/portail-mail"}, (FILEBASED, "/srv/portail-mail")),
        ({"EMAIL_HOST": "smtp.example.org"}, (SMTP, None)),
        ({"EMAIL_FILE_PATH": ""}, (CONSOLE, "")),  # set empty: the console, as asked
    ],
)
def test_email_host_or_email_file_path_say_otherwise(tmp_path, env, expected):
    backend, path = mail_settings({"PORTAIL_DATA_DIR": str(tmp_path), **env})
    assert backend == expected[0]
    if expected[1] is not None:
        assert path == expected[1]


def test_production_without_smtp_keeps_the_console(tmp_path):
    env = {**PRODUCTION_ENV, "PORTAIL_DATA_DIR": str(tmp_path)}
    assert mail_settings(env) == (CONSOLE, "")
    assert not Path(tmp_path / "mail").exists()
