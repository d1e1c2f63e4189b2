"""`manage.py eligibility batch IN.jsonl OUT.jsonl`: many cases, bad lines reported, the rest still run."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from eligibility import services
from eligibility.tests.conftest import example


@pytest.mark.django_db
def test_batch_evaluates_every_line_and_reports_bad_ones(tmp_path):
    good = example("base-eligible-clause1")["input"]
    late = example("renewal-guide-example-late")["input"]
    unknown = example("invalid-unknown-key")["input"]
    lines = [json.dumps(good), json.dumps(late), "{not json", "", json.dumps(unknown), json.dumps(good)]
    infile = tmp_path / "in.jsonl"
    outfile = tmp_path / "out.jsonl"
    infile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("eligibility", "batch", str(infile), str(outfile), "--no-progress", stderr=err)
    assert exit_info.value.code == 2
    out_lines = outfile.read_text(encoding="utf-8").splitlines()
    assert len(out_lines) == 5  # the blank line gives no output
    records = [json.loads(line) for line in out_lines]
    assert records[0]["decision"] == "eligible"
    assert records[1]["decision"] == "needs_review"  # REN-DEADLINE late → review (edition 2)
    assert records[2]["line"] == 3
    assert records[2]["detail"][0]["loc"] == "(root)"
    assert records[3]["line"] == 5
    assert any("favourite_colour" in d["loc"] for d in records[3]["detail"])
    assert records[4]["decision"] == "eligible"
    # each result line is byte-for-byte the single-case answer
    assert out_lines[0] + "\n" == services.dumps(services.evaluate_json(good))
    summary = err.getvalue()
    assert "eligible 2" in summary
    assert "needs_review 1" in summary
    assert "错误 2" in summary


@pytest.mark.django_db
def test_batch_all_good_exits_0_and_shows_progress(tmp_path, capfd):
    good = example("base-eligible-clause1")["input"]
    infile = tmp_path / "in.jsonl"
    outfile = tmp_path / "out.jsonl"
    infile.write_text("\n".join(json.dumps(good) for _ in range(3)), encoding="utf-8")
    err = io.StringIO()
    call_command("eligibility", "batch", str(infile), str(outfile), stderr=err)
    assert len(outfile.read_text(encoding="utf-8").splitlines()) == 3
    assert "已评估 3" in err.getvalue()
    assert "错误 0" in err.getvalue()
    progress = capfd.readouterr().err
    assert "3/3" in progress
