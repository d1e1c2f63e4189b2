"""Fail when a test runs a program that the Makefile does not install (issue 11, production 7).

A fresh machine has only what `make setup` / `make e2e` install. This reads every test module and
every module a test runs in a subprocess, finds the programs named literally in `subprocess.*` calls
and `shutil.which(...)`, and checks each against the programs of the Debian packages the Makefile
installs (`apt-get install ... <packages>`) and the executables of the project's virtual environment.

Usage: python .ci/check_test_programs.py  (exit 1 and a list of offenders when a program is missing)

It also checks the system files the code names literally (a string starting with /usr/share/, such as
the slip's font): each must be provided by a Debian package the Makefile installs (PACKAGE_FILES).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
# The programs each Debian package the Makefile may install provides (what the tests may call).
PACKAGE_PROGRAMS = {
    "gettext": {"msgfmt", "xgettext", "msgmerge", "msguniq", "msgcat", "gettext"},
    "chromium": {"chromium"},
    "fonts-noto-cjk": set(),
    "fonts-wqy-zenhei": set(),
    "nodejs": {"node", "nodejs"},
    "npm": {"npm", "npx", "node", "nodejs"},
}
# The system files each Debian package provides that the code opens (e.g. the slip's font).
PACKAGE_FILES = {
    "fonts-wqy-zenhei": {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"},
}
# Present on every machine the project runs on (the Python that runs the Makefile, POSIX basics).
ALWAYS = {"python3", "python3.11", "sh", "bash", "env", "mount", "umount"}  # mount: Debian essential


def makefile_packages(makefile: Path) -> set[str]:
    packages: set[str] = set()
    text = makefile.read_text(encoding="utf-8").replace("\\\n", " ")
    for match in re.finditer(r"apt-get install ([^)&;|\n]+)", text):
        packages.update(word for word in match.group(1).split() if not word.startswith("-"))
    return packages


def venv_programs(makefile: Path) -> set[str]:
    """Console scripts of the locked Python packages that tests may run from .venv/bin."""
    programs = {"pytest", "ruff", "mypy", "uv", "python"}
    venv = ROOT / ".venv" / "bin"
    if venv.is_dir():
        programs.update(path.name for path in venv.iterdir())
    return programs


def _literal_program(node: ast.AST) -> str | None:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        first = node.elts[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.split()[0] if node.value.strip() else None
    return None


def programs_in(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        runs = name in SUBPROCESS_CALLS and owner in ("subprocess", "")
        if runs or (name == "which" and owner == "shutil"):
            program = _literal_program(node.args[0])
        else:
            continue
        if program:
            found.append((node.lineno, Path(program).name))
    return found


def test_modules(root: Path) -> list[Path]:
    skip = {".venv", "node_modules", ".git", "var"}
    files = []
    for path in root.rglob("*.py"):
        parts = set(path.relative_to(root).parts)
        if parts & skip:
            continue
        if "tests" in parts or path.name.startswith("test_") or path.name == "conftest.py" or "e2e" in parts:
            files.append(path)
    return sorted(files)


def system_files_in(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("/usr/share/")
        and "\n" not in node.value
    ]


def code_modules(root: Path) -> list[Path]:
    skip = {".venv", "node_modules", ".git", "var", ".ci"}
    return sorted(p for p in root.rglob("*.py") if not set(p.relative_to(root).parts) & skip)


def main() -> int:
    makefile = ROOT / "Makefile"
    packages = makefile_packages(makefile)
    allowed = set(ALWAYS) | venv_programs(makefile)
    for package in packages:
        allowed |= PACKAGE_PROGRAMS.get(package, {package})
    missing = []
    for path in test_modules(ROOT):
        for line, program in programs_in(path):
            if program not in allowed:
                missing.append(
                    f"{path.relative_to(ROOT)}:{line}: runs `{program}`, not installed by the Makefile"
                )
    provided = set().union(*(PACKAGE_FILES.get(package, set()) for package in packages))
    for path in code_modules(ROOT):
        for line, name in system_files_in(path):
            if name not in provided:
                missing.append(f"{path.relative_to(ROOT)}:{line}: opens `{name}`, not installed by make")
    for offender in missing:
        print(offender)
    if missing:
        print(f"{len(missing)} test(s) call a program the Makefile does not install", file=sys.stderr)
        return 1
    print(f"test programs: all installed by the Makefile (apt packages: {', '.join(sorted(packages))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
