"""Production settings: `check --deploy` is silent, and an unset secret key is refused."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY="k" * 20 + "-Zq8#p2!vX9@rT5$mL1&wB7*nC4^hJ6%",
        DJANGO_ALLOWED_HOSTS="permits.example.cn",
        DJANGO_FIELD_ENCRYPTION_KEYS="bmV3LXByb2R1Y3Rpb24ta2V5LTMyLWJ5dGVzLWxvbmc=",
        DJANGO_FIELD_HMAC_KEY="h" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_is_refused():
    result = run_manage("check", DJANGO_PRODUCTION="1", DJANGO_ALLOWED_HOSTS="permits.example.cn")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_database_url_parsing():
    from config.env import database_from_url

    pg = database_from_url("postgres://postgres:s%40cret@127.0.0.1:5432/permits?sslmode=require", ROOT)
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "permits",
        "postgres",
        "s@cret",
        "127.0.0.1",
        "5432",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("", ROOT)["ENGINE"] == "django.db.backends.sqlite3"
    assert str(database_from_url("sqlite:////tmp/x.db", ROOT)["NAME"]) == "/tmp/x.db"


def test_production_without_field_encryption_keys_is_refused():
    result = run_manage(
        "check",
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY="k" * 20 + "-Zq8#p2!vX9@rT5$mL1&wB7*nC4^hJ6%",
        DJANGO_ALLOWED_HOSTS="permits.example.cn",
    )
    assert result.returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEYS" in result.stderr
