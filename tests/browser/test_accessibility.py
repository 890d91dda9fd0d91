"""Accessibility of every page a parent or the staff can reach, beyond the journey's own.

- A crawl from the parent's home page (at a phone's width) and from the back office's
  home (at a tablet's width): every page reached by a link is checked with axe-core (no
  serious or critical violation), for its language, its title and h1, and for reflow
  (no sideways scrolling of the whole page).
- The focus is visible on every stop of a Tab sweep through the main pages.
- Form errors are announced: a message with role "alert", the field marked aria-invalid
  and described by its error.
- The language: French by default, English after the switch, and <html lang> follows.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import DESKTOP, PARENT, PHONE, STAFF, Journey, new_context, t

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
MAX_PAGES = 70

# Not pages to check: leaving, files, other tools, the language switch.
SKIPPED = re.compile(
    r"/compte/deconnexion/|/admin/|/i18n/|/api/|/payfip-simulateur/|/fichiers/|/static/"
    r"|\.(pdf|csv|xlsx|ics)(\?|$)|/pdf/(\?|$)"
)


def log_in(page: Page, base_url: str, who: tuple[str, str]) -> None:
    page.goto(f"{base_url}/compte/connexion/")
    page.get_by_label(t("E-mail address")).fill(who[0])
    page.get_by_label(t("Password")).fill(who[1])
    with page.expect_navigation():
        page.get_by_role("button", name=t("Log in")).click()


def page_key(url: str) -> str:
    """Pages that differ only by a number or a query's values (a week, a family) count once."""
    parts = urlsplit(url)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(names)


def crawl(
    journey: Journey, base_url: str, start: str, scope: str, also: tuple | list = ()
) -> list[str]:
    """Visit every page linked from `start` (and the `also` pages) whose path starts with
    `scope` (breadth first, one page per URL shape) and check each; the paths visited."""
    page = journey.page
    queue = [base_url + path for path in [start, *also]]
    seen, visited = {page_key(base_url + path) for path in [start, *also]}, []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        path = urlsplit(page.url).path
        visited.append(path)
        expect(page.locator("h1")).to_have_count(1)
        assert page.title().strip(), f"{url} has no title"
        journey.check(re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "home")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href).url
            if not href.startswith(base_url) or SKIPPED.search(href):
                continue
            if not urlsplit(href).path.startswith(scope):
                continue
            key = page_key(href)
            if key not in seen:
                seen.add(key)
                queue.append(href)
    return visited


def test_every_page_a_parent_reaches_passes_axe_at_phone_size(browser, portal):
    context = new_context(browser, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    journey = Journey(page, "parent-pages")
    log_in(page, portal.base_url, PARENT)
    visited = crawl(journey, portal.base_url, "/", "/", also=["/panier/"])
    context.close()
    expected = {"/", "/planning/", "/planning/type/", "/panier/", "/documents/", "/aide/"}
    expected |= {"/mes-donnees/", "/mes-donnees/telephone/", "/mon-avoir/", "/factures/"}
    expected |= {"/tarifs/", "/demarches/", "/mes-donnees/rappels/", "/accessibilite/"}
    assert expected <= set(visited), sorted(set(visited))
    # The demo's invoices: one invoice's page, and the page to pay the unpaid one.
    assert any(re.fullmatch(r"/factures/\d+/", path) for path in visited), visited
    assert any(re.fullmatch(r"/factures/\d+/payer/", path) for path in visited), visited
    journey.finish()


def test_every_back_office_page_passes_axe_at_tablet_size(browser, portal):
    context = new_context(browser, TABLET)
    page = context.new_page()
    journey = Journey(page, "staff-pages")
    log_in(page, portal.base_url, STAFF)
    # The demo family, found with the search form: its page links to its planning, etc.
    page.goto(f"{portal.base_url}/gestion/familles/")
    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill("PAGES-TEST")
    with page.expect_navigation():
        search.get_by_role("button").click()
    found = page.url.removeprefix(portal.base_url)
    visited = crawl(journey, portal.base_url, "/gestion/", "/gestion/", also=[found])
    context.close()
    assert "/gestion/" in visited
    assert any(re.fullmatch(r"/gestion/familles/\d+/", path) for path in visited), visited
    assert any(path.endswith("/planning/") for path in visited), visited
    assert {"/gestion/factures/", "/gestion/facturation/"} <= set(visited), visited
    assert {"/gestion/seances/fermer/", "/gestion/fenetres/", "/gestion/journal/"} <= set(
        visited
    ), visited
    assert any(re.fullmatch(r"/gestion/factures/\d+/", path) for path in visited), visited
    journey.finish()


def test_the_focus_is_visible_on_every_stop_of_the_main_pages(browser, portal):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    journey = Journey(page, "focus")
    page.goto(f"{portal.base_url}/compte/connexion/")
    assert journey.sweep_focus() >= 3
    log_in(page, portal.base_url, PARENT)
    # The first Tab reaches the skip link, which moves the focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t("Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for path in ["/", "/planning/", "/planning/type/", "/mes-donnees/", "/documents/", "/aide/"]:
        page.goto(portal.base_url + path)
        stops = journey.sweep_focus()
        assert stops >= 5, f"{path}: only {stops} focus stops"
        journey.shot(f"swept-{path.strip('/').replace('/', '-') or 'home'}")
    context.close()
    context = new_context(browser, DESKTOP)
    page = journey.page = context.new_page()
    log_in(page, portal.base_url, STAFF)
    for path in ["/gestion/", "/gestion/familles/", "/gestion/effectifs/"]:
        page.goto(portal.base_url + path)
        journey.sweep_focus()
    context.close()
    journey.finish()


def expect_field_error(page: Page, field_label: str) -> None:
    """The error summary is an alert, and the field is invalid and described by its error."""
    expect(page.get_by_role("alert").first).to_be_visible()
    field = page.get_by_label(field_label)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).not_to_have_accessible_description("")


def test_form_errors_are_announced(browser, portal):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    journey = Journey(page, "form-errors")
    # A wrong password: an alert, nothing else said about the account.
    page.goto(f"{portal.base_url}/compte/connexion/")
    page.get_by_label(t("E-mail address")).fill(PARENT[0])
    page.get_by_label(t("Password")).fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Log in")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check("login-error")
    # A field left wrong: an empty e-mail address.
    page.get_by_label(t("E-mail address")).fill("")
    page.get_by_label(t("Password")).fill("x")
    page.get_by_label(t("E-mail address")).evaluate("e => e.form.noValidate = true")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Log in")).click()
    expect_field_error(page, t("E-mail address"))
    journey.check("login-field-error")
    # A phone number that is not one.
    log_in(page, portal.base_url, PARENT)
    page.goto(f"{portal.base_url}/mes-donnees/telephone/")
    field = page.get_by_role("textbox").first
    label = field.evaluate("e => e.labels[0].textContent").strip().rstrip(" :\u00a0")
    field.fill("not a phone")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect_field_error(page, label)
    journey.check("phone-error")
    context.close()
    journey.finish()


def test_the_page_language_follows_the_chosen_language(browser, portal):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, portal.base_url, PARENT)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label(t("Language")).select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home")
    context.close()
