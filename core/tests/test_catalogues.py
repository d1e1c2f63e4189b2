"""Both languages complete: every Chinese source string of every app has an English translation.

For each app, makemessages runs on a copy of the app (so the tree is not touched) and merges with
the app's catalogue; any untranslated or fuzzy entry fails with the strings named.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core",
    "accounts",
    "employers",
    "applicants",
    "materials",
    "cases",
    "permits",
    "oversight",
    "eligibility",
    "simulations",
]


def _join(parts: list[str]) -> str:
    return "".join(part.strip().strip('"') for part in parts)


def untranslated(po: Path) -> list[str]:
    """msgids whose msgstr is empty or fuzzy (multi-line entries joined)."""
    missing: list[str] = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid_at = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        msgstr_at = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        msgid = "".join(
            part.strip().strip('"') for part in [lines[msgid_at][6:], *lines[msgid_at + 1 : msgstr_at]]
        )
        msgstr = "".join(
            part.strip().strip('"') for part in [lines[msgstr_at].split(" ", 1)[1], *lines[msgstr_at + 1 :]]
        )
        if msgid and (fuzzy or not msgstr):
            missing.append(msgid)
    return missing


def source_has_strings(app_dir: Path) -> bool:
    for path in app_dir.rglob("*"):
        if "tests" in path.parts or "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if any(marker in text for marker in ("gettext", "{% translate", "{% blocktranslate", "{% trans ")):
            return True
    return False


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is installed by make setup")
@pytest.mark.parametrize("app", APPS)
def test_english_catalogue_is_complete(app: str, tmp_path: Path) -> None:
    app_dir = ROOT / app
    if not source_has_strings(app_dir):
        return
    copy = tmp_path / app
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "static"))
    (copy / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{app}: no catalogue produced"
    missing = untranslated(po)
    assert not missing, f"{app}: {len(missing)} strings without English: {missing[:10]}"
