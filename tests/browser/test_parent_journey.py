"""The seed's journey, end to end, in Debian's Chromium against the real server.

The same journey three times: with a mouse on a desktop screen, with the keyboard only
(Tab, Shift+Tab, Enter, Space: no mouse event), and with a finger on a phone (375 x 812).
Every step is kept as a screenshot in test-artifacts/browser/<journey>/ and every page is
checked with axe-core (no serious or critical violation), its language and its focus.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portail.families.models import Document
from portail.reservations.states import CellState
from tests.browser.actors import ACTORS, Actor
from tests.browser.journey import DESKTOP, PARENT, PHONE, Journey, money, new_context, t
from tests.pdftext import pages

pytestmark = pytest.mark.browser

CANTEEN = "Restauration Scolaire Malves"
CHILDREN = ("Emy", "Lise")
# The keyboard journey proves it sent no mouse or touch event: every page reports any.
NO_POINTER = """for (const type of ["pointerdown", "mousedown", "touchstart", "wheel"]) {
  addEventListener(type, (event) => { if (event.isTrusted) { window.__pointer(type); } }, true);
}"""
WEEKS_TO_SEARCH = 8  # school holidays can make the next week empty: look further


def pdf_text(data: bytes) -> str:
    return money("\n".join(pages(data)))


def open_context(browser, mode: str):
    if mode == "touch":
        return new_context(browser, PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    return new_context(browser, DESKTOP, accept_downloads=True)


# -- the planning -----------------------------------------------------------------------------


def canteen_box(page: Page, child: str, day: str, state: str):
    """The check box of one child's canteen block; its accessible name says it all."""
    name = re.compile(rf"^{child}, {re.escape(day)}, {CANTEEN}: {re.escape(state)},")
    return page.get_by_role("checkbox", name=name)


def day_names(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".planning__day-name").all_text_contents()]


def days_bookable_for_both(page: Page) -> list[str]:
    """Days where both children's canteen can be booked at the seed's price (3,70 €, not
    a surcharged late price)."""
    free = t(CellState.NOT_RESERVED.label) + ", 3,70 €"  # names have plain spaces
    return [
        day
        for day in day_names(page)
        if all(canteen_box(page, child, day, free).count() == 1 for child in CHILDREN)
    ]


def check_block_names(page: Page) -> None:
    """Every block of the planning has an accessible name with the child, the day, the
    activity and the state that the block shows on screen."""
    blocks = page.locator("li.block")
    assert blocks.count() > 0
    states = {t(state.label) for state in CellState}
    for index in range(blocks.count()):
        block = blocks.nth(index)
        day = block.locator("xpath=ancestor::section[1]/h3").text_content().strip()
        child = block.locator("xpath=ancestor::div[@class='planning__child'][1]/h4").text_content()
        child = child.split("–")[-1].strip()
        activity = block.locator(".block__activity").text_content().strip()
        state = block.locator(".block__state").text_content().strip().lstrip("* ")
        assert state in states, state
        expected = re.compile(
            rf"^{re.escape(child)}, {re.escape(day)}, {re.escape(activity)}: .*"
            rf"{re.escape(state)}"
        )
        box = block.get_by_role("checkbox")
        if box.count():
            expect(box).to_have_accessible_name(expected)
        else:
            expect(block).to_have_accessible_name(expected)


# -- the journey ------------------------------------------------------------------------------


def log_in(actor: Actor, journey: Journey, base_url: str) -> None:
    page = actor.page
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/"))
    journey.check("login")
    actor.fill(page.get_by_label(t("E-mail address")), PARENT[0])
    actor.fill(page.get_by_label(t("Password")), PARENT[1])
    actor.press(page.get_by_role("button", name=t("Log in")))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Home"))
    journey.check("home")


def open_next_bookable_week(actor: Actor, journey: Journey) -> list[str]:
    """Planning, then "Semaine suivante" until a week where both children's canteen can be
    booked on two days (the next week, unless it is in the school holidays)."""
    page = actor.page
    actor.press(page.get_by_role("link", name=t("Go to the booking planning")))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Reservations"))
    journey.check("planning")
    for _ in range(WEEKS_TO_SEARCH):
        shown = page.locator(".week-chooser__current").text_content()
        actor.press(page.get_by_role("link", name=t("Next week")))
        expect(page.locator(".week-chooser__current")).not_to_have_text(shown)
        # The week's last two such days: the furthest from the deadlines (two working days
        # before, 10:00), so that booking then cancelling one stays possible during the test.
        days = days_bookable_for_both(page)[-2:]
        if len(days) >= 2:
            journey.check("next-week")
            journey.keep_accessibility_tree("next-week")
            check_block_names(page)
            return days
    raise AssertionError(f"no week with two bookable days in the next {WEEKS_TO_SEARCH}")


def tick_two_days(actor: Actor, days: list[str]) -> None:
    free = t(CellState.NOT_RESERVED.label)
    for day in days[:2]:
        for child in CHILDREN:
            actor.toggle(canteen_box(actor.page, child, day, free))


def check_pending(page: Page, count: int, total: str) -> None:
    pending = page.get_by_role("region", name=t("Pending changes"))
    expect(pending.get_by_role("listitem")).to_have_count(count)
    expect(pending.locator("#pending-total")).to_contain_text(total.replace(" ", "\u00a0"))


def run_journey(actor: Actor, journey: Journey, base_url: str) -> None:
    page = actor.page
    log_in(actor, journey, base_url)
    days = open_next_bookable_week(actor, journey)

    # Book two days for Emy and Lise: the pending changes and their total.
    tick_two_days(actor, days)
    check_pending(page, 4, "14,80 €")
    journey.check("pending-changes")

    # REINITIALISER drops them all.
    actor.press(page.get_by_role("button", name=t("RESET")))
    expect(page.get_by_role("region", name=t("Pending changes"))).to_contain_text(
        t("No change yet: tick the blocks to change.")
    )
    assert page.locator("input.block__input:checked").count() == 0
    journey.check("reset", axe=False)

    # Book again, SOUMETTRE: the basket (4 x 3,70 = 14,80 EUR).
    tick_two_days(actor, days)
    check_pending(page, 4, "14,80 €")
    actor.press(page.get_by_role("button", name=t("SUBMIT")))
    expect(page).to_have_url(re.compile(r"/panier/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Basket contents"))
    rows = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows).to_have_count(4)
    for index in range(4):
        expect(rows.nth(index)).to_contain_text("PRE-RESERVATION")
        expect(rows.nth(index)).to_contain_text("3,70\u00a0€")
    expect(page.locator(".basket__totals")).to_contain_text("14,80\u00a0€")
    journey.check("basket")

    # Its PDF.
    with page.expect_download() as download:
        actor.press(
            page.get_by_role("link", name=t("Download the details of the reservations (PDF)"))
        )
    text = pdf_text(download_bytes(download.value))
    assert "14,80 €" in text, text

    # The demo household has a credit (avoir) from a past cancellation: it is used first.
    due = money(page.locator(".basket__due dd").text_content())
    pay_on_payfip(actor, journey, due)
    see_days_booked(actor, journey, days)
    see_the_ticket(actor, journey, due)
    cancelled_day = cancel_one_day_and_see_the_credit(actor, journey, days)
    book_again_with_the_credit(actor, journey, cancelled_day)
    open_the_recap(actor, journey)


def download_bytes(download) -> bytes:
    with open(download.path(), "rb") as stream:
        return stream.read()


def pay_on_payfip(actor: Actor, journey: Journey, due: str) -> None:
    """PAYER, the PayFiP simulator's card page, then back on the portal's outcome page."""
    page = actor.page
    actor.press(page.get_by_role("button", name=t("PAY"), exact=True))
    expect(page).to_have_url(re.compile(r"/payfip-simulateur/tpa/paiementws\.web\?idop="))
    expect(page.locator(".sim-facts")).to_contain_text(due.replace(" ", "\u00a0"))
    journey.check("payfip")
    actor.fill(page.get_by_label(t("Card number")), "4970 1012 3456 7893")
    actor.press(page.get_by_role("button", name=t("Pay by bank card")))
    expect(page).to_have_url(re.compile(r"/paiement/retour/"))
    expect(page.get_by_role("status")).to_contain_text(
        t("Your payment of %(amount)s is confirmed.") % {"amount": due.replace(" ", "\u00a0")}
    )
    journey.check("payment-outcome")


def see_days_booked(actor: Actor, journey: Journey, days: list[str]) -> None:
    """The four days are green, "Réservé(e)", in the planning (the basket is gone)."""
    page = actor.page
    actor.press(page.get_by_role("link", name=t("Go to the booking planning")))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Reservations"))
    week_of(actor, days[0])
    reserved = t(CellState.RESERVED.label)
    for day in days[:2]:
        for child in CHILDREN:
            box = canteen_box(page, child, day, reserved)
            expect(box).to_have_count(1)
            block = page.locator("li.block", has=box)
            expect(block).to_have_class(re.compile(r"state--reserved"))
            colour = block.evaluate("e => getComputedStyle(e).backgroundColor")
            red, green, blue = (int(x) for x in re.findall(r"\d+", colour)[:3])
            assert green > red and green > blue, f"{child} {day} is not green: {colour}"
    journey.check("planning-booked")
    journey.keep_accessibility_tree("planning-booked")
    check_block_names(page)


def week_of(actor: Actor, day: str) -> None:
    """Walk to the week that shows `day` with the week chooser's links."""
    page = actor.page
    for _ in range(WEEKS_TO_SEARCH):
        if day in day_names(page):
            return
        shown = page.locator(".week-chooser__current").text_content()
        actor.press(page.get_by_role("link", name=t("Next week")))
        expect(page.locator(".week-chooser__current")).not_to_have_text(shown)
    raise AssertionError(f"{day} not found")


def see_the_ticket(actor: Actor, journey: Journey, due: str) -> None:
    """ "Mes documents" lists the payment ticket."""
    page = actor.page
    actor.press(page.get_by_role("link", name=t("Home"), exact=True))
    actor.press(page.get_by_role("link", name=re.compile("^" + re.escape(t("SEE ALL")))))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My documents"))
    ticket = page.get_by_role("table").locator("tbody tr").first  # newest first
    expect(ticket.get_by_role("cell").nth(1)).to_have_text(t(Document.Kind.PAYMENT_TICKET.label))
    expect(ticket).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    journey.check("documents")
    actor.press(ticket.get_by_role("link"))
    expect(page.locator("main")).to_contain_text(due.replace(" ", "\u00a0"))
    journey.check("ticket")


def cancel_one_day_and_see_the_credit(actor: Actor, journey: Journey, days: list[str]) -> str:
    """Cancel Emy's first day, validate (OK: nothing to pay), see the credit of 3,70."""
    page = actor.page
    actor.press(page.get_by_role("link", name=t("Home"), exact=True))
    actor.press(page.get_by_role("link", name=t("Go to the booking planning")))
    week_of(actor, days[0])
    actor.toggle(canteen_box(page, "Emy", days[0], t(CellState.RESERVED.label)))
    check_pending(page, 1, "-3,70 €")
    journey.check("cancel-pending", axe=False)
    actor.press(page.get_by_role("button", name=t("SUBMIT")))
    expect(page).to_have_url(re.compile(r"/panier/$"))
    rows = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ANNULATION")
    journey.check("cancel-basket")
    actor.press(page.get_by_role("button", name=t("OK"), exact=True))
    expect(page.get_by_role("status")).to_contain_text(t("Your cancellations are validated."))
    expect(page.locator(".receipt__totals")).to_contain_text("3,70\u00a0€")
    journey.check("cancel-validated")
    actor.press(page.get_by_role("link", name=t("See my credit history")))
    expect(page.locator(".credits__available")).to_have_text("3,70\u00a0€")
    journey.check("credit")
    return days[0]


def book_again_with_the_credit(actor: Actor, journey: Journey, day: str) -> None:
    """Book the day again: the credit pays it, the button is OK, the credit falls to 0."""
    page = actor.page
    actor.press(page.get_by_role("link", name=t("Go to the booking planning")))
    week_of(actor, day)
    actor.toggle(canteen_box(page, "Emy", day, t(CellState.NOT_RESERVED.label)))
    actor.press(page.get_by_role("button", name=t("SUBMIT")))
    expect(page).to_have_url(re.compile(r"/panier/$"))
    totals = page.locator(".basket__totals")
    expect(totals).to_contain_text(t("Credit used"))
    expect(totals.locator(".basket__due")).to_contain_text("0,00\u00a0€")
    expect(page.get_by_role("button", name=t("PAY"), exact=True)).to_have_count(0)
    journey.check("credit-deducted")
    actor.press(page.get_by_role("button", name=t("OK"), exact=True))
    expect(page.get_by_role("status")).to_contain_text(
        t("Your basket is validated: the days below are booked. There was nothing to pay.")
    )
    journey.check("credit-validated")


def open_the_recap(actor: Actor, journey: Journey) -> None:
    """Home, "Inscriptions périscolaires": Emy's canteen recap PDF with the history."""
    page = actor.page
    actor.press(page.get_by_role("link", name=t("Back to the home page")))
    enrolments = page.get_by_role("region", name=t("After-school enrolments"))
    link = enrolments.get_by_role("link", name=re.compile(rf"^{CANTEEN} – Emy – "))
    # Chromium opens the PDF (served inline) in its viewer; its bytes are then read with
    # the page's own cookies.
    actor.press(link)
    expect(page).to_have_url(re.compile(r"/recapitulatif\.pdf$"))
    response = page.request.get(page.url)
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Ajout : RESERVATION" in text, text
    assert "Suppression : RESERVATION" in text, text
    assert PARENT[0] in text, text
    journey.shot("recap-opened")


@pytest.mark.parametrize("mode", ["mouse", "keyboard", "touch"])
def test_the_seed_journey_in_a_real_browser(browser, portal, mode):
    context = open_context(browser, mode)
    page = context.new_page()
    journey = Journey(
        page, {"mouse": "desktop-mouse", "keyboard": "keyboard", "touch": "phone"}[mode]
    )
    pointer_events: list[str] = []
    if mode == "keyboard":
        page.expose_function("__pointer", lambda kind: pointer_events.append(kind))
        page.add_init_script(NO_POINTER)
    try:
        run_journey(ACTORS[mode](journey), journey, portal.base_url)
        assert not pointer_events, f"the keyboard journey sent {pointer_events}"
    finally:
        context.close()
    journey.finish()
