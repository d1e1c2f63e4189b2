"""policy/ is pure Python: importing every module never imports Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import policy


def test_policy_modules_never_import_django() -> None:
    root = Path(policy.__file__).resolve().parent
    names = ["policy"] + [
        m.name
        for m in pkgutil.walk_packages([str(root)], prefix="policy.")
        if not m.name.startswith("policy.tests")
    ]
    assert "policy.evaluate" in names and "policy.rules.clauses" in names
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
        "print(len(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
