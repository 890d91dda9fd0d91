"""What the journeys share: screenshots per step, axe-core, keyboard moves, small finders.

Each step is kept as test-artifacts/browser/<journey>/NN-<step>.png (full page), and each
page is checked with axe-core (the copy shipped by the axe-playwright-python package):
violations of impact "serious" or "critical" fail the test at its end, with every page's
report listed; all violations, whatever their impact, are written next to the screenshots.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from tests.browser.server import ARTIFACTS

PARENT = ("parent@example.org", "parent-demo")  # the demo commune's logins (load_demo)
STAFF = ("gestion@example.org", "gestion-demo")
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

_AXE = Axe()

# Is the focused element (or, for a visually hidden box, its label) visibly marked?
_FOCUS_PROBE = """
(target) => {
  const el = document.activeElement;
  if (!el || el === document.body) { return {isTarget: false, tag: "body", visible: false}; }
  const marked = (node) => {
    if (!node) { return false; }
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return outline || (style.boxShadow && style.boxShadow !== "none");
  };
  const labels = el.labels ? Array.from(el.labels) : [];
  const visible = marked(el) || labels.some(marked);
  const text = (el.getAttribute("aria-label") || el.innerText || el.value || el.id || "");
  return {
    isTarget: target === el,
    tag: el.tagName.toLowerCase(),
    desc: el.tagName.toLowerCase() + " " + text.trim().slice(0, 80),
    visible: visible,
  };
}
"""


@dataclass
class Journey:
    """The steps of one journey in one browser page, with their evidence."""

    page: Page
    name: str
    problems: list[str] = field(default_factory=list)
    focus_stops: int = 0
    step: int = 0

    def __post_init__(self) -> None:
        self.folder = ARTIFACTS / self.name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in [
            *self.folder.glob("*.png"),
            *self.folder.glob("*.json"),
            *self.folder.glob("*.yml"),
        ]:
            old.unlink()

    # -- evidence ---------------------------------------------------------------------------
    def shot(self, label: str) -> Path:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check(self, label: str, *, axe: bool = True) -> None:
        """One step: the page is in French (lang set), shot, and checked with axe-core."""
        lang = self.page.evaluate("document.documentElement.lang")
        if not lang:
            self.problems.append(f"{label}: <html> has no lang attribute ({self.page.url})")
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            self.problems.append(
                f"{label}: the page scrolls sideways by {overflow}px at "
                f"{self.page.viewport_size['width']}px wide ({self.page.url})"
            )
        self.shot(label)
        if axe:
            self.axe(label)

    def keep_accessibility_tree(self, label: str) -> None:
        """Keep what a screen reader is given (Playwright's ARIA snapshot of <main>), for
        review by a person: test-artifacts/browser/<journey>/NN-<label>.aria.yml."""
        snapshot = self.page.locator("main").aria_snapshot()
        (self.folder / f"{self.step:02d}-{label}.aria.yml").write_text(snapshot)

    def axe(self, label: str) -> None:
        results = _AXE.run(self.page)
        violations = results.response["violations"]
        (self.folder / f"axe-{self.step:02d}-{label}.json").write_text(
            json.dumps(
                [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "help": v["help"],
                        "targets": [n["target"] for n in v["nodes"]],
                    }
                    for v in violations
                ],
                indent=1,
                ensure_ascii=False,
            )
        )
        for violation in violations:
            if violation["impact"] in BLOCKING_IMPACTS:
                nodes = "; ".join(
                    f"{n['target']} {n.get('failureSummary', '')}".replace("\n", " ")
                    for n in violation["nodes"][:5]
                )
                self.problems.append(
                    f"{label} ({self.page.url}): axe {violation['impact']} "
                    f"{violation['id']} – {violation['help']}: {nodes}"
                )

    def finish(self) -> None:
        """Fail with every accessibility problem met on the way (not only the first)."""
        assert not self.problems, "Accessibility problems:\n" + "\n".join(self.problems)

    # -- keyboard ---------------------------------------------------------------------------
    def tab_to(self, target: Locator, *, limit: int = 250, backwards: bool = False) -> None:
        """Press Tab (or Shift+Tab) until `target` has the focus, checking at every stop that
        the focus is visible. Fails if the target cannot be reached: a keyboard trap or a
        control left out of the tab order is a product bug."""
        handle = target.element_handle()
        key = "Shift+Tab" if backwards else "Tab"
        seen: list[str] = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            probe = self.page.evaluate(_FOCUS_PROBE, handle)
            self.focus_stops += 1
            if probe["tag"] != "body" and not probe["visible"]:
                self.problems.append(f"focus not visible on {probe['desc']} ({self.page.url})")
            if probe["isTarget"]:
                return
            seen.append(probe.get("desc", probe["tag"]))
        raise AssertionError(
            f"{target} not reached with {key} after {limit} presses; last stops: {seen[-8:]}"
        )

    def sweep_focus(self, *, limit: int = 200) -> int:
        """Tab through the whole page from its top, checking that every stop shows the focus;
        the number of stops. Ends when the focus leaves the page or comes back to the start."""
        self.page.evaluate(
            "window.__seen = new WeakSet(); document.activeElement && document.activeElement.blur()"
        )
        for count in range(limit):
            self.page.keyboard.press("Tab")
            probe = self.page.evaluate(_FOCUS_PROBE, None)
            again = self.page.evaluate(
                "() => { const e = document.activeElement;"
                " const again = __seen.has(e) && e !== window.__prev;"
                " __seen.add(e); window.__prev = e; return again; }"
            )
            if probe["tag"] == "body" or again:
                return count
            self.focus_stops += 1
            if not probe["visible"]:
                self.problems.append(f"focus not visible on {probe['desc']} ({self.page.url})")
        return limit

    def focused(self, target: Locator) -> bool:
        return target.evaluate("el => el === document.activeElement")

    def type_into(self, target: Locator, text: str) -> None:
        """Reach a field with Tab and type into it, as a keyboard user does."""
        if not self.focused(target):
            self.tab_to(target)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)


def new_context(browser, viewport: dict, **options):
    """A fresh browser context (no cookies) that asks for French, as a French browser
    does; actions and expectations give up after 10 s."""
    context = browser.new_context(viewport=viewport, locale="fr-FR", **options)
    context.set_default_timeout(10_000)
    return context


def t(label) -> str:
    """The French text of a product string (a msgid or a lazy label), from its catalogue:
    the tests read the page as a French parent does, and follow the catalogue's words."""
    with translation.override("fr"):
        return str(translation.gettext(label) if isinstance(label, str) else label)


def money(text: str) -> str:
    """Normalise the spaces of French money ("14,80 €" with a no-break space)."""
    return re.sub(r"[\u00a0\u202f ]+", " ", text).strip()


__all__ = ["DESKTOP", "PARENT", "PHONE", "STAFF", "Journey", "expect", "money", "new_context", "t"]
