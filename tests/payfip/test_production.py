"""Production never installs the PayFiP simulator, nor serves its URLs."""

import os
import subprocess
import sys

from django.apps import apps
from django.urls import reverse

PRODUCTION_ENV = {
    "PORTAIL_ENV": "production",
    "SECRET_KEY": "k3J9x!q2Lm7Zp0Wv8Rt5Yb1Nc4Hd6Fg_aS-eU+oI=uY#tR@wQ%eE^rT&yU*iO(pA)sD",
    "ALLOWED_HOSTS": "portail.example.org",
    "PAYFIP_NUMCLI": "012345",
    "PAYFIP_WS_URL": "https://payfip.example.org/tpa/services/securite",
    "PAYFIP_PAYMENT_URL": "https://payfip.example.org/tpa/paiementws.web",
    "PORTAIL_BASE_URL": "https://portail.example.org",
    "DATABASE_URL": "sqlite:////tmp/portail-payfip-production-check.sqlite3",
}

PROBE = """
import django
django.setup()
from django.apps import apps
from django.urls import Resolver404, resolve
from portail.payfip import client
print("installed", apps.is_installed("portail.payfip_simulator"))
for path in ["/payfip-simulateur/", "/payfip-simulateur/tpa/services/securite",
             "/payfip-simulateur/tpa/paiementws.web"]:
    try:
        resolve(path)
        print("served", path)
    except Resolver404:
        print("not served", path)
print("ws", client.ws_url())
print("page", client.payment_page_url("abc-123"))
print("simulator", client.uses_simulator())
"""


def test_production_has_no_simulator_app_urls_or_fallback():
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAIL_", "PAYFIP_"))}
    base.pop("SECRET_KEY", None)
    base.pop("ALLOWED_HOSTS", None)
    base["DJANGO_SETTINGS_MODULE"] = "portail.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**base, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "installed False" in lines
    assert not [line for line in lines if line.startswith("served")]
    assert "ws https://payfip.example.org/tpa/services/securite" in lines
    assert "page https://payfip.example.org/tpa/paiementws.web?idop=abc-123" in lines
    assert "simulator False" in lines


def test_development_installs_the_simulator_at_its_payfip_like_paths():
    assert apps.is_installed("portail.payfip_simulator")
    assert reverse("payfip_simulator:soap") == "/payfip-simulateur/tpa/services/securite"
    assert reverse("payfip_simulator:payment_page") == "/payfip-simulateur/tpa/paiementws.web"
