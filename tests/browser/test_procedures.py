"""A démarche in Debian's Chromium at a phone's width, in French: from the home page's DEBUT
to a sent request with a document and a message, and the demo's family file to complete
(CONTINUER). Every page is checked with axe-core (no serious or critical violation)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portail.procedures.models import RequestStatus
from tests.browser.journey import PARENT, PHONE, Journey, new_context, t
from tests.world.uploads import pdf_bytes

pytestmark = pytest.mark.browser


def test_a_parent_sends_a_contact_request_with_a_document_and_a_message(browser, portal):
    context = new_context(browser, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    journey = Journey(page, "procedures")
    page.goto(f"{portal.base_url}/compte/connexion/")
    page.get_by_label(t("E-mail address")).fill(PARENT[0])
    page.get_by_label(t("Password")).fill(PARENT[1])
    with page.expect_navigation():
        page.get_by_role("button", name=t("Log in")).click()

    # The home page's blocks, with their counts.
    expect(page.get_by_role("heading", name=re.compile(r"Démarche\(s\) disponible\(s\) \(\d+\)")))
    expect(page.get_by_role("heading", name=re.compile(r"Mes démarches en cours \(2\)")))
    journey.check("home")

    page.get_by_role("link", name=f"{t('START')} – CONTACTER UN SERVICE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CONTACTER UN SERVICE")
    journey.check("contact-form")
    # Sent empty: each field says what is wrong.
    page.get_by_role("button", name=t("Send the request")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    subject = page.get_by_label(t("Subject"))
    expect(subject).to_have_attribute("aria-invalid", "true")
    journey.check("contact-form-errors")

    page.get_by_label(t("Service concerned")).fill("Restauration scolaire")
    subject.fill("Menus de la semaine")
    page.get_by_label(t("Message")).fill("Bonjour, où trouver les menus ?")
    page.get_by_role("button", name=t("Send the request")).click()
    expect(page.locator(".procedure__status")).to_have_text(t(RequestStatus.SUBMITTED.label))
    journey.check("contact-sent")

    page.get_by_label(t("Files (one or several)")).set_input_files(
        files=[{"name": "menu.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name=t("Send the documents")).click()
    expect(page.get_by_role("link", name="menu.pdf")).to_be_visible()
    page.get_by_label(t("Your message to the service")).fill("Merci d'avance.")
    page.get_by_role("button", name=t("Send the message")).click()
    expect(page.get_by_text("Merci d'avance.").first).to_be_visible()
    journey.check("contact-document-and-message")

    # The demo's family file to complete: CONTINUER from the home page.
    page.goto(f"{portal.base_url}/")
    page.get_by_role("link", name=re.compile(rf"^{t('CONTINUE')} – \d+ - MISE A JOUR")).click()
    expect(page.get_by_role("group", name=t("Guardians"))).to_be_visible()
    journey.check("family-file-form")
    journey.finish()
    context.close()
