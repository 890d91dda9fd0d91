"""The shape of the code (docs/architecture.md), beside `lint-imports`' layers contract.

- Views are thin and nobody else's library: a views module (`views.py`, `*_views.py`, a
  `views/` package) is imported only by its own app.
- No module outside migrations is over 500 lines: split by concept.
- The apps form no cycle, even counting imports inside functions.
"""

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500


def graph() -> grimp.ImportGraph:
    return grimp.build_graph("portail")


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def is_views(module: str) -> bool:
    return any(part == "views" or part.endswith("_views") for part in module.split(".")[1:])


def test_no_module_imports_another_apps_views():
    imports = graph()
    crossing = sorted(
        f"{importer} -> {module}"
        for module in imports.modules
        if is_views(module)
        for importer in imports.find_modules_that_directly_import(module)
        if app_of(importer) != app_of(module)
    )
    assert crossing == []


def test_no_module_is_over_500_lines():
    too_long = sorted(
        f"{path.relative_to(ROOT)}: {lines}"
        for folder in ("portail", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert too_long == []


def test_the_apps_form_no_cycle():
    imports = graph()
    apps = {app_of(m) for m in imports.modules if m.count(".")}
    edges = {app: set() for app in apps}
    for module in imports.modules:
        for imported in imports.find_modules_directly_imported_by(module):
            a, b = app_of(module), app_of(imported)
            if a and b and a != b and a in apps and b in apps:
                edges[a].add(b)
    # Depth-first search for a back edge.
    state: dict[str, str] = {}

    def cycle_from(app: str, path: list[str]) -> list[str] | None:
        state[app] = "open"
        for nxt in sorted(edges[app]):
            if state.get(nxt) == "open":
                return [*path, app, nxt]
            if nxt not in state and (found := cycle_from(nxt, [*path, app])):
                return found
        state[app] = "done"
        return None

    cycles = [c for app in sorted(apps) if app not in state and (c := cycle_from(app, []))]
    assert cycles == []
