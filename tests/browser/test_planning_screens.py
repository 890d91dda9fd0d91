"""The parents' planning on every screen (issue 16), in Debian's Chromium.

- Wide screens (1280 and 1920 px): Monday to Friday of two children without any
  sideways scrolling, the page using the screen's width, no word broken inside.
- A phone (375 px): one day at a time with the day links, a compact header, the summary
  bar at the bottom with the total after the credit, reachable at once.
- The keyboard only, in English: Tab to a block, Space, the summary, Tab to SUBMIT.
- Back after ticking: the summary matches the boxes as the browser restored them.
- Unsent ticks: leaving asks first; submitting does not.
Every page is checked with axe-core (no serious or critical violation).
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import DESKTOP, PARENT, PHONE, Journey, money, new_context, t
from tests.clock import NOW

pytestmark = pytest.mark.browser

CANTEEN = "Restauration Scolaire Malves"
CHILDREN = ("Emy", "Lise")
# Two weeks ahead: every day of the week (Wednesday's leisure centre included) can still
# be booked, and the demo household's credit is 3,70 EUR (a past cancellation).
WEEK = "{}-W{:02d}".format(*(NOW.date() + datetime.timedelta(weeks=2)).isocalendar()[:2])
CREDIT_CENTS = 370
CANTEEN_CENTS = 370


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/compte/connexion/")
    page.locator("#id_email").fill(PARENT[0])
    page.locator("#id_password").fill(PARENT[1])
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def open_planning(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/planning/?week={WEEK}")
    expect(page.locator(".planning__day-name")).to_have_count(5)


def euros(cents: int, language: str = "fr") -> str:
    if language == "en":
        return f"€{cents // 100}.{cents % 100:02d}"
    return f"{cents // 100},{cents % 100:02d} €"


def canteen_boxes(page: Page, day_index: int = 0):
    """The children's canteen boxes that book ("not reserved") on one day of the week."""
    day = page.locator(".planning__day").nth(day_index)
    free = day.locator("li.block.state--not_reserved", has_text=CANTEEN)
    return free.locator("input.block__input")


def free_days(page: Page) -> list[int]:
    """The days (their index in the week) where both children's canteen can be booked."""
    return [index for index in range(5) if canteen_boxes(page, index).count() == 2]


def summary(page: Page) -> dict[str, str]:
    return {
        key: money(page.locator(f"#summary-{key}").text_content())
        for key in ("count", "total", "credit", "due")
    }


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"
    )


def page_overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_whole_week_fits_on_wide_screens(browser, portal, width):
    context = new_context(browser, {"width": width, "height": 900})
    page = context.new_page()
    journey = Journey(page, f"planning-{width}")
    log_in(page, portal.base_url)
    open_planning(page, portal.base_url)
    journey.check(f"week-{width}")

    assert page_overflow(page) <= 0
    region = page.locator(".planning-scroll")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).not_to_have_accessible_name("")
    assert region.evaluate("e => e.scrollWidth - e.clientWidth") <= 1
    friday = page.locator(".planning__day-name").last
    expect(friday).to_contain_text("vendredi")
    expect(friday).to_be_in_viewport()
    head, frame = friday.bounding_box(), region.bounding_box()
    assert head["x"] + head["width"] <= min(width, frame["x"] + frame["width"]) + 1
    # Wide screens are used: the grid is wider than the usual 72rem page.
    if width >= 1920:
        assert frame["width"] > 1500, frame

    # No word broken inside: words wrap at spaces only and never overflow their block.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.block__visible > span')].filter(span => {
             const style = getComputedStyle(span);
             return style.overflowWrap !== 'normal' || style.wordBreak !== 'normal'
               || style.hyphens === 'auto' || span.scrollWidth > span.clientWidth + 1;
           }).map(span => span.textContent.trim())"""
    )
    assert not broken, broken
    # A bookable block says until when (and, when few places are left, how many).
    until = page.locator("li.block .block__until").first
    expect(until).to_be_visible()
    expect(until).to_contain_text(re.compile(r"\d\d/\d\d"))
    few = page.locator("li.block .block__few")
    if few.count():
        expect(few.first).to_be_visible()

    # The headers stay in view when the grid scrolls in its region.
    region.evaluate("e => e.scrollTo(0, e.scrollHeight)")
    expect(friday).to_be_in_viewport()
    assert abs(friday.bounding_box()["y"] - frame["y"]) < 4
    context.close()
    journey.finish()


def test_one_day_at_a_time_on_a_phone_with_the_total_after_credit(browser, portal):
    context = new_context(browser, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    journey = Journey(page, "planning-phone")
    log_in(page, portal.base_url)
    open_planning(page, portal.base_url)
    journey.check("phone-week")
    assert page_overflow(page) <= 0

    # A compact header; the bar with SUBMIT is on the screen from the start.
    assert page.locator(".site-header").bounding_box()["height"] < 130
    bar = page.locator("#planning-bar")
    expect(bar).to_be_in_viewport()
    submit = page.get_by_role("button", name=t("SUBMIT"))
    expect(submit).to_be_in_viewport()
    assert bar.bounding_box()["y"] + bar.bounding_box()["height"] <= PHONE["height"] + 1

    # One day at a time: Monday shown, Tuesday beside it, out of the screen.
    heads = page.locator(".planning__day-name")
    expect(heads.nth(0)).to_be_in_viewport()
    expect(heads.nth(1)).not_to_be_in_viewport()
    days = page.get_by_role("navigation", name=t("Days of the week"))
    expect(days.get_by_role("link")).to_have_count(5)
    expect(days.get_by_role("link").first).to_have_attribute("aria-current", "true")

    # "Next day", then the day list: Thursday.
    page.locator(".planning__day").first.get_by_role(
        "link", name=re.compile("^" + re.escape(t("Next day")))
    ).tap()
    expect(heads.nth(1)).to_be_in_viewport(ratio=1)
    expect(days.get_by_role("link").nth(1)).to_have_attribute("aria-current", "true")
    days.get_by_role("link").nth(3).tap()
    expect(heads.nth(3)).to_be_in_viewport(ratio=1)
    expect(heads.nth(0)).not_to_be_in_viewport()
    journey.check("phone-thursday")

    # Thursday's canteen for both children: 7,40 EUR, the credit pays 3,70.
    assert 3 in free_days(page), free_days(page)
    boxes = canteen_boxes(page, 3)
    for index in range(2):
        boxes.nth(index).tap()
    shown = summary(page)
    assert shown["total"] == euros(2 * CANTEEN_CENTS)
    assert shown["credit"] == euros(CREDIT_CENTS)
    assert shown["due"] == euros(2 * CANTEEN_CENTS - CREDIT_CENTS)
    assert shown["count"].startswith("2")
    expect(page.locator("#planning-summary")).to_have_attribute("aria-live", "polite")
    expect(submit).to_be_in_viewport()
    journey.check("phone-ticked")
    assert page_overflow(page) <= 0
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        submit.tap()
    expect(page).to_have_url(re.compile(r"/panier/$"))
    expect(page.locator(".basket__due dd")).to_contain_text(
        euros(2 * CANTEEN_CENTS - CREDIT_CENTS).replace(" ", "\u00a0")
    )
    context.close()
    journey.finish()


def test_keyboard_only_in_english(browser, portal):
    context = new_context(browser, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    journey = Journey(page, "planning-keyboard-en")
    log_in(page, portal.base_url)
    page.get_by_label(t("Language")).select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Change language")).click()
    open_planning(page, portal.base_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    journey.check("keyboard-en")

    days = free_days(page)
    assert len(days) >= 2, days
    first = canteen_boxes(page, days[0]).first
    journey.tab_to(first)
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(page.locator("#planning-summary")).to_contain_text("1 change")
    expect(page.locator("#planning-summary")).to_contain_text("Total of the changes")
    assert summary(page)["credit"] == euros(min(CREDIT_CENTS, CANTEEN_CENTS), "en")
    assert summary(page)["due"] == euros(CANTEEN_CENTS - min(CREDIT_CENTS, CANTEEN_CENTS), "en")
    # A box of another day, reached with Tab: its day comes into view.
    later = canteen_boxes(page, days[-1]).first
    journey.tab_to(later)
    expect(page.locator(".planning__day-name").nth(days[-1])).to_be_in_viewport()
    page.keyboard.press("Space")
    assert summary(page)["total"] == euros(2 * CANTEEN_CENTS, "en")
    submit = page.get_by_role("button", name="SUBMIT")
    journey.tab_to(submit)
    expect(submit).to_be_in_viewport()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/panier/$"))
    context.close()
    journey.finish()


def test_back_after_ticking_the_summary_matches_the_boxes(browser, portal):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, portal.base_url)
    open_planning(page, portal.base_url)
    day = free_days(page)[0]
    for index in range(2):
        canteen_boxes(page, day).nth(index).check()
    assert summary(page)["total"] == euros(2 * CANTEEN_CENTS)
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("link", name=t("Next week")).click()
    page.go_back()
    expect(page.locator(".planning__day-name")).to_have_count(5)
    page.wait_for_load_state("load")
    ticked = page.locator("input.block__input:checked")
    count = ticked.count()
    cents = sum(int(ticked.nth(i).get_attribute("data-delta-cents")) for i in range(count))
    expect(page.locator("#summary-total")).to_have_text(euros(cents).replace(" ", "\u00a0"))
    expect(page.locator("#summary-credit")).to_have_text(
        euros(min(CREDIT_CENTS, max(0, cents))).replace(" ", "\u00a0")
    )
    expect(page.locator("#pending-list li")).to_have_count(count)
    context.close()


def test_leaving_with_unsent_ticks_asks_first_and_submitting_does_not(browser, portal):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, portal.base_url)
    open_planning(page, portal.base_url)
    start = page.url
    first = canteen_boxes(page, free_days(page)[0]).first
    first.check()
    questions: list[str] = []

    def refuse(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.get_by_role("link", name=t("Next week")).click()
    expect(page.locator("#summary-total")).to_have_text(euros(CANTEEN_CENTS).replace(" ", "\u00a0"))
    assert questions and re.search(r"\d", questions[0]), questions
    assert page.url == start
    expect(first).to_be_checked()
    # The week chooser's form asks too.
    page.locator(".week-chooser__form button").click()
    assert len(questions) == 2
    assert page.url == start
    page.remove_listener("dialog", refuse)

    # Accepted: the next week.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("link", name=t("Next week")).click()
    assert page.url != start
    # Submitting never asks.
    open_planning(page, portal.base_url)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    canteen_boxes(page, free_days(page)[0]).first.check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("SUBMIT")).click()
    expect(page).to_have_url(re.compile(r"/panier/$"))
    assert not asked, asked
    context.close()


def test_a_reset_keeps_the_bar_right(browser, portal):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, portal.base_url)
    open_planning(page, portal.base_url)
    canteen_boxes(page, free_days(page)[0]).first.check()
    page.get_by_role("button", name=t("RESET")).click()
    assert summary(page)["total"] == euros(0)
    assert summary(page)["due"] == euros(0)
    assert page.locator("input.block__input:checked").count() == 0
    context.close()
