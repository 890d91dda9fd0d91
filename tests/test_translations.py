"""French is the default language: every interface string has a French translation."""

import ast
from pathlib import Path

from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "portail" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path) -> list[dict]:
    """A small reader of .po files: msgid, msgid_plural, msgstr[*] and flags per entry."""
    entries: list[dict] = []
    entry: dict = {"flags": set(), "msgstr": []}
    field = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {"flags": set(), "msgstr": []}, None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgid_plural ")):
            field, _, text = line.partition(" ")
            entry[field] = ast.literal_eval(text)
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(ast.literal_eval(line.partition(" ")[2]))
        elif line.startswith('"') and field:
            if field == "msgstr":
                entry["msgstr"][-1] += ast.literal_eval(line)
            else:
                entry[field] += ast.literal_eval(line)
    return entries


def test_every_french_string_is_translated_and_not_fuzzy():
    entries = [e for e in po_entries(PO_FILE) if e["msgid"]]
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"]) or "fuzzy" in e["flags"]]
    assert untranslated == []


def test_compiled_catalogue_is_newer_than_its_source():
    mo_file = PO_FILE.with_suffix(".mo")
    assert mo_file.exists()
    assert mo_file.stat().st_mtime >= PO_FILE.stat().st_mtime - 1
