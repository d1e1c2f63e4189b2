"""Production 9 (issue 11): runtime and development dependencies are locked apart.

`requirements.lock` is what a production install gets; `requirements-dev.lock` adds the test and
lint tools, constrained by the runtime lock. Neither file is edited by hand (`make locks`).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", re.MULTILINE)

# Named by the audit: none of these may reach a production install.
AUDIT_DEV_ONLY = {"moto", "flask", "docker", "cfn-lint", "sympy", "mypy", "playwright"}

RUNTIME_COMMAND = "uv pip compile pyproject.toml -o requirements.lock --python-version 3.11"
DEV_COMMAND = (
    "uv pip compile pyproject.toml --extra dev -c requirements.lock"
    " -o requirements-dev.lock --python-version 3.11"
)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_norm(name): version for name, version in PIN.findall(path.read_text())}


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_norm(re.split(r"[\[<>=!~; ]", req, maxsplit=1)[0]) for req in requirements}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_runtime_lock_holds_no_development_package() -> None:
    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")
    project = _project()
    declared_dev_only = _requirement_names(project["optional-dependencies"]["dev"]) - _requirement_names(
        project["dependencies"]
    )
    # Everything only the development lock needs: the declared dev tools and what they pull in.
    dev_only = set(dev) - set(runtime)
    assert dev_only >= AUDIT_DEV_ONLY, "the audit's development packages must be in the dev lock only"
    assert declared_dev_only <= dev_only
    assert not (AUDIT_DEV_ONLY | declared_dev_only) & set(runtime)
    # Every runtime dependency is locked in the runtime lock.
    assert _requirement_names(project["dependencies"]) <= set(runtime)


def test_both_locks_agree_on_every_shared_pin() -> None:
    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")
    assert set(runtime) <= set(dev), "the development lock installs the whole runtime lock"
    differing = {name: (runtime[name], dev[name]) for name in runtime if runtime[name] != dev[name]}
    assert differing == {}


def test_lock_headers_name_their_regeneration_commands() -> None:
    assert RUNTIME_COMMAND in (ROOT / "requirements.lock").read_text()
    assert DEV_COMMAND in (ROOT / "requirements-dev.lock").read_text()
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    assert RUNTIME_COMMAND in contributing and DEV_COMMAND in contributing


def test_make_installs_both_locks_and_production_only_the_runtime_one() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "uv pip sync -q --python $(BIN)/python requirements.lock requirements-dev.lock" in makefile
    production_docs = [ROOT / "README.md", *sorted((ROOT / "deploy").glob("*"))]
    text = "\n".join(path.read_text() for path in production_docs)
    assert "requirements.lock" in text
    units = "\n".join(p.read_text() for p in sorted((ROOT / "deploy").glob("*")))
    assert "requirements-dev.lock" not in units
