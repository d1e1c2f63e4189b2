"""Three doors, one answer: the contract examples through the CLI and the API (eligibility-contract.md)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from eligibility import services
from eligibility.tests.conftest import EXAMPLES_DIR, example, load_examples

ROOT = Path(__file__).resolve().parents[2]
API_URL = "/api/v1/eligibility/check"
EXAMPLES = load_examples()
VALID = [e for e in EXAMPLES if e["expect"]["exit"] == 0]
INVALID = [e for e in EXAMPLES if e["expect"]["exit"] == 2]


def assert_expected(result: dict[str, Any], expect: dict[str, Any]) -> None:
    """The README of the examples: every field named in `expect` holds in the answer."""
    if "decision" in expect:
        assert result["decision"] == expect["decision"]
    if "qualifying_clauses" in expect:
        assert result["qualifying_clauses"] == expect["qualifying_clauses"]
    top = {c["rule"]: c["outcome"] for c in result["checks"]}
    for rule, outcome in expect.get("outcomes", {}).items():
        assert top.get(rule) == outcome, (rule, top.get(rule))
    clauses = {str(c["clause"]): c for c in result["clauses"]}
    for clause, outcome in expect.get("clause_outcomes", {}).items():
        assert clauses[clause]["outcome"] == outcome
    for clause, rules in expect.get("clause_rules", {}).items():
        found = {c["rule"]: c["outcome"] for c in clauses[clause]["checks"]}
        for rule, outcome in rules.items():
            assert found.get(rule) == outcome, (clause, rule, found.get(rule))
    for key, value in expect.get("deadlines", {}).items():
        assert result["deadlines"][key] == value
    params = {p["id"]: p for p in result["parameters"]}
    for pid, fields in expect.get("parameters", {}).items():
        for key, value in fields.items():
            assert params[pid][key] == value


def run_cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    kwargs: dict[str, Any] = {"stdout": out, "stderr": err}
    if stdin is not None:
        kwargs["stdin"] = io.StringIO(stdin)
    try:
        call_command("eligibility", *args, **kwargs)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def write_input(tmp_path: Path, data: Any, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- CLI (call_command) -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", VALID, ids=[e["name"] for e in VALID])
def test_examples_through_the_cli(case, tmp_path):
    code, out, err = run_cli("check", str(write_input(tmp_path, case["input"])))
    assert code == 0, err
    assert_expected(json.loads(out), case["expect"])


@pytest.mark.django_db
@pytest.mark.parametrize("case", INVALID, ids=[e["name"] for e in INVALID])
def test_invalid_examples_through_the_cli(case, tmp_path):
    code, out, err = run_cli("check", str(write_input(tmp_path, case["input"])))
    assert code == 2
    assert out == ""
    assert case["expect"]["stderr_contains"] in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.django_db
def test_cli_reads_standard_input():
    case = example("base-eligible-clause1")
    code, out, _err = run_cli("check", "-", stdin=json.dumps(case["input"]))
    assert code == 0
    assert json.loads(out)["decision"] == "eligible"


@pytest.mark.django_db
def test_cli_names_the_field_of_a_bad_date(tmp_path):
    case = example("base-eligible-clause1")
    case["input"]["applicant"]["birth_date"] = "1990-13-01"
    code, _out, err = run_cli("check", str(write_input(tmp_path, case["input"])))
    assert code == 2
    assert err.strip() == "applicant.birth_date: not a date: '1990-13-01'"


@pytest.mark.django_db
def test_cli_reports_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    code, _out, err = run_cli("check", str(path))
    assert code == 2
    assert "not valid JSON" in err


@pytest.mark.django_db
def test_cli_parameter_not_in_force_is_exit_2_naming_parameter_and_date(tmp_path):
    """P-FALLBACK: a date before the first entry is an error, never a decision."""
    case = example("base-eligible-clause1")
    case["input"]["as_of"] = "2018-06-01"
    case["input"]["submitted_on"] = "2018-06-01"
    code, out, err = run_cli("check", str(write_input(tmp_path, case["input"])))
    assert code == 2
    assert out == ""
    assert "P-" in err
    assert "2018-" in err


@pytest.mark.django_db
def test_cli_unpublished_calendar_year_is_a_marked_estimate_exit_0(tmp_path):
    """CAL-WORKING-DAYS (edition 2): a renewal in a year without a published calendar is a
    conservative estimate marked `estimated`, never an error."""
    case = example("renewal-guide-example-in-time")
    data = case["input"]
    data["as_of"] = data["submitted_on"] = "2099-07-08"
    data["permit"]["expires_on"] = "2099-08-06"
    data["applicant"]["monthly_income"] = [
        {"month": f"{2096 + (5 + i) // 12}-{(5 + i) % 12 + 1:02d}", "amount": 20000, "corrected": False}
        for i in range(36)
    ]
    code, out, _err = run_cli("check", str(write_input(tmp_path, data)))
    assert code == 0
    assert json.loads(out)["deadlines"]["estimated"] is True


@pytest.mark.django_db
def test_cli_english_messages(tmp_path):
    case = example("base-eligible-clause1")
    path = str(write_input(tmp_path, case["input"]))
    _code, zh, _err = run_cli("check", path)
    _code, en, _err = run_cli("check", path, "--lang", "en")
    zh_messages = [c["message"] for c in json.loads(zh)["checks"]]
    en_messages = [c["message"] for c in json.loads(en)["checks"]]
    assert zh_messages != en_messages
    assert all(m.isascii() for m in en_messages)


# --- CLI (a real process, for exit codes) -----------------------------------------------------


@pytest.fixture(scope="session")
def process_env(tmp_path_factory):
    """Environment of a separate manage.py process with its own migrated SQLite database."""
    folder = tmp_path_factory.mktemp("cli-db")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "VAR_DIR": str(folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return env


@pytest.mark.parametrize("case", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_examples_exit_codes_in_a_real_process(case, process_env):
    path = EXAMPLES_DIR / f"{case['name']}.json"
    # the example files wrap the input; the command reads the input itself from standard input
    proc = subprocess.run(
        [sys.executable, "manage.py", "eligibility", "check", "-"],
        cwd=ROOT,
        env=process_env,
        input=json.dumps(json.loads(path.read_text(encoding="utf-8"))["input"]).encode(),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == case["expect"]["exit"], proc.stderr.decode()
    if proc.returncode == 0:
        assert_expected(json.loads(proc.stdout), case["expect"])
        assert proc.stderr == b""
    else:
        err = proc.stderr.decode()
        assert case["expect"]["stderr_contains"] in err
        assert len(err.strip().splitlines()) == 1
        assert proc.stdout == b""


# --- API --------------------------------------------------------------------------------------


def post(client: Client, data: Any, **headers: str):
    return client.post(API_URL, data=json.dumps(data), content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("case", VALID, ids=[e["name"] for e in VALID])
def test_examples_through_the_api(case, client):
    response = post(client, case["input"])
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    assert_expected(response.json(), case["expect"])


@pytest.mark.django_db
@pytest.mark.parametrize("case", INVALID, ids=[e["name"] for e in INVALID])
def test_invalid_examples_through_the_api(case, client):
    response = post(client, case["input"])
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(case["expect"]["stderr_contains"] in f"{d['loc']}: {d['msg']}" for d in detail)


@pytest.mark.django_db
def test_api_field_error_shape(client):
    case = example("base-eligible-clause1")
    case["input"]["applicant"]["birth_date"] = "1990-13-01"
    response = post(client, case["input"])
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": "applicant.birth_date", "msg": "not a date: '1990-13-01'"}]}


@pytest.mark.django_db
def test_api_parameter_not_in_force_is_422(client):
    case = example("base-eligible-clause1")
    case["input"]["as_of"] = case["input"]["submitted_on"] = "2018-06-01"
    response = post(client, case["input"])
    assert response.status_code == 422
    assert "2018-" in response.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_api_not_json_is_422(client):
    response = client.post(API_URL, data="{nope", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == "(root)"


@pytest.mark.django_db
def test_api_is_public_without_csrf():
    client = Client(enforce_csrf_checks=True)
    response = post(client, example("base-eligible-clause1")["input"])
    assert response.status_code == 200


@pytest.mark.django_db
def test_api_accept_language_en(client):
    case = example("base-eligible-clause1")
    zh = post(client, case["input"]).json()
    en = post(client, case["input"], **{"Accept-Language": "en"}).json()
    assert [c["message"] for c in zh["checks"]] != [c["message"] for c in en["checks"]]
    assert all(c["message"].isascii() for c in en["checks"])
    assert zh["decision"] == en["decision"]


@pytest.mark.django_db
def test_api_and_cli_bytes_are_identical_for_every_example(client, tmp_path):
    for case in VALID:
        _code, out, _err = run_cli("check", str(write_input(tmp_path, case["input"])))
        body = post(client, case["input"]).content
        assert body == out.encode("utf-8"), case["name"]
        assert body.decode("utf-8") == services.dumps(services.evaluate_json(case["input"]))


@pytest.mark.django_db
def test_rate_limit(client, settings):
    settings.ELIGIBILITY_RATE_LIMIT = 3
    data = example("invalid-unknown-key")["input"]
    statuses = [post(client, data).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    response = post(client, data)
    assert response.status_code == 429
    assert "请求过于频繁" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # another address has its own allowance
    other = client.post(
        API_URL, data=json.dumps(data), content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 422


def test_openapi_documents_request_and_response(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][API_URL]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "business" in body["properties"]
    assert "applicant" in body["properties"]
    assert body["additionalProperties"] is False
    assert {"200", "422", "429"} <= set(operation["responses"])
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Result"}
    assert "qualifying_clauses" in schema["components"]["schemas"]["Result"]["properties"]
    assert operation.get("security") in (None, [])
