"""Issue 11, production 7: no test runs a program the Makefile does not install (`.ci/run` checks it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_test_programs", ROOT / ".ci" / "check_test_programs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_test_of_the_project_runs_a_program_the_makefile_does_not_install(capsys):
    assert _checker().main() == 0, capsys.readouterr().out


def test_the_check_finds_a_program_called_by_a_test(tmp_path):
    source = tmp_path / "test_x.py"
    source.write_text(
        "import shutil, subprocess, sys\n"
        "subprocess.run(['gnuplot', 'plot.gp'], check=True)\n"
        "subprocess.run([sys.executable, '-c', 'pass'])\n"
        "shutil.which('xgettext')\n",
        encoding="utf-8",
    )
    assert _checker().programs_in(source) == [(2, "gnuplot"), (4, "xgettext")]


def test_the_makefile_packages_are_read_from_its_apt_get_lines():
    packages = _checker().makefile_packages(ROOT / "Makefile")
    assert {"gettext", "chromium", "fonts-noto-cjk"} <= packages


def test_the_slip_font_is_installed_by_setup_and_a_stray_system_file_is_found(tmp_path):
    """Issue 10 (9): the slip's CJK font file comes from fonts-wqy-zenhei, installed by `make setup`."""
    checker = _checker()
    assert "fonts-wqy-zenhei" in checker.makefile_packages(ROOT / "Makefile")
    source = tmp_path / "x.py"
    stray = "/usr/" + "share/fonts/opentype/other.otf"  # split: this file is checked too
    source.write_text(f'FONT = "{stray}"\n', encoding="utf-8")
    assert checker.system_files_in(source) == [(1, stray)]
