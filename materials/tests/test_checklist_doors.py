"""DOC-CHECKLIST doors: `manage.py materials checklist FILE|-` and POST /api/v1/materials/checklist
give the same bytes; invalid input is exit 2 with one line / HTTP 422 with field errors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "policy" / "tests" / "checklist_examples").glob("*.json"))
URL = "/api/v1/materials/checklist"


def run_cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    options: dict[str, Any] = {"stdout": out, "stderr": err}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    try:
        call_command("materials", "checklist", *args, **options)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_doc_checklist_cli_and_api_identical(path: Path, tmp_path: Path) -> None:
    example = json.loads(path.read_text(encoding="utf-8"))
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(example["input"], ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(str(facts_file))
    assert (code, err) == (0, "")
    response = Client().post(URL, data=json.dumps(example["input"]), content_type="application/json")
    assert response.status_code == 200
    assert response.content.decode() == out
    result = json.loads(out)
    assert result["business"] == example["input"]["business"]
    assert {(m["id"], m["uploader"], m["child"]) for m in result["materials"]} == {
        tuple(m) for m in example["expect"]["materials"]
    }
    assert set(result["materials"][0]) >= {"id", "uploader", "child", "citation", "reason"}


@pytest.mark.django_db
def test_doc_checklist_stdin_and_english() -> None:
    facts = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))["input"]
    code, out, _ = run_cli("-", "--lang", "en", stdin=json.dumps(facts))
    assert code == 0
    english = json.loads(out)
    response = Client().post(
        URL, data=json.dumps(facts), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.content.decode() == out
    lease = next(m for m in english["materials"] if m["id"] == "LEASE")
    assert lease["name"] == "Lease contract or agreement" and lease["reason"].startswith("A rented home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "loc", "text"),
    [
        ('{"business": "new", "as_of": "2025-13-01"}', "as_of", "not a date"),
        (
            '{"business": "new", "as_of": "2025-11-20", "claimed_clause": 9}',
            "claimed_clause",
            "less than or equal to 8",
        ),
        ('{"business": "new", "as_of": "2025-11-20", "changes": ["car"]}', "changes[0]", "car"),
        ('{"business": "new", "as_of": "2025-11-20", "surprise": 1}', "surprise", "unknown key"),
        ("not json", "(root)", "not valid JSON"),
    ],
)
def test_doc_checklist_invalid_input(body: str, loc: str, text: str) -> None:
    code, out, err = run_cli("-", stdin=body)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"{loc}: ") and text in err
    response = Client().post(URL, data=body, content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == loc and text in detail[0]["msg"]


def test_doc_checklist_cli_unreadable_file(tmp_path: Path) -> None:
    code, _, err = run_cli(str(tmp_path / "missing.json"))
    assert code == 2 and err.startswith(f"{tmp_path / 'missing.json'}: cannot read")
