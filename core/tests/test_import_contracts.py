"""Issue 11, production 11: the import contracts hold (policy imports no Django; no import cycles)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    program = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(program)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "BROKEN" not in done.stdout and "Contracts: 2 kept, 0 broken." in done.stdout
