"""How a person operates the page: with a mouse, with a finger, or with the keyboard only.

The journey is written once against these three; the keyboard actor never sends a mouse
or touch event: it moves with Tab (checking at every stop that the focus is visible) and
acts with Enter (links, buttons) or Space (check boxes).
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.browser.journey import Journey

# A link that is not a download, or a form's submit button: pressing it loads a page.
_NAVIGATES = """e => (e.tagName === "A" && e.hasAttribute("href") && !e.hasAttribute("download")
  && !e.getAttribute("href").startsWith("#")) || (e.type === "submit" && !!e.form)"""


class Actor:
    mode = "mouse"

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.page: Page = journey.page

    def press(self, target: Locator) -> None:
        """Follow a link or press a button; when that loads a page, wait for it."""
        if target.evaluate(_NAVIGATES):
            with self.page.expect_navigation():
                self._press(target)
        else:
            self._press(target)

    def _press(self, target: Locator) -> None:
        target.click()

    def toggle(self, box: Locator) -> None:
        target_state = not box.is_checked()
        box.set_checked(target_state)

    def fill(self, field: Locator, text: str) -> None:
        field.fill(text)


class Finger(Actor):
    """A phone: taps instead of clicks (the context has touch and a 375 x 812 viewport)."""

    mode = "touch"

    def _press(self, target: Locator) -> None:
        target.tap()

    def toggle(self, box: Locator) -> None:
        was = box.is_checked()
        box.tap()
        assert box.is_checked() != was, f"tapping {box} did not change it"

    def fill(self, field: Locator, text: str) -> None:
        field.tap()
        field.fill(text)


class Keyboard(Actor):
    """Tab, Shift+Tab, Enter and Space only."""

    mode = "keyboard"

    def _press(self, target: Locator) -> None:
        self.journey.tab_to(target)
        self.page.keyboard.press("Enter")

    def toggle(self, box: Locator) -> None:
        was = box.is_checked()
        self.journey.tab_to(box)
        self.page.keyboard.press("Space")
        assert box.is_checked() != was, f"Space on {box} did not change it"

    def fill(self, field: Locator, text: str) -> None:
        self.journey.type_into(field, text)


ACTORS = {"mouse": Actor, "touch": Finger, "keyboard": Keyboard}
