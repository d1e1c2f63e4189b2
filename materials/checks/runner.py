"""Start the checking worker in its own process and turn whatever happens into findings.

The worker gets the file through a private temporary file, limits its own address space and CPU time
(`worker.apply_limits`) and is killed after a wall-clock timeout. A crash, a limit hit or a hang gives
an UNCHECKABLE finding; the caller never sees an exception for a bad file.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from materials.checks.findings import finding

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class WorkerLimits:
    dpi: int = 50
    max_pages: int = 50
    min_dpi: int = 150
    max_pixels: int = 60_000_000
    max_decoded: int = 256 << 20
    memory_bytes: int = 1 << 30
    cpu_seconds: int = 30
    timeout_seconds: float = 60.0


def _uncheckable(detail: tuple[str, str]) -> dict[str, Any]:
    return {"pages": None, "findings": [finding("UNCHECKABLE", detail=detail)], "meta": {}}


def run_checks(
    data: bytes,
    material: str,
    limits: WorkerLimits | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    extract: bool = False,
    ocr_dpi: int = 150,
) -> dict[str, Any]:
    """Check one file in a separate, limited process; `{"pages", "findings", "meta"}`.

    With `extract`, the same worker reads the income table instead (issue 13): `{"rows", "pages",
    "previews", ...}` or `{"error"}`; a crash, limit or hang gives `{"error"}` too."""
    limits = limits or WorkerLimits()
    with tempfile.TemporaryDirectory(prefix="materials-check-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        path.chmod(0o400)
        command = [
            sys.executable,
            "-m",
            "materials.checks.worker",
            str(path),
            f"--material={material}",
            f"--dpi={limits.dpi}",
            f"--max-pages={limits.max_pages}",
            f"--min-dpi={limits.min_dpi}",
            f"--max-pixels={limits.max_pixels}",
            f"--max-decoded={limits.max_decoded}",
            f"--memory={limits.memory_bytes}",
            f"--cpu={limits.cpu_seconds}",
        ]
        if extract:
            command += ["--extract", f"--ocr-dpi={ocr_dpi}"]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(PROJECT_ROOT),
            "LANG": "C.UTF-8",
        }
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                cwd=PROJECT_ROOT,
                env=env,
                start_new_session=True,
            )
            result = _collect(process, limits.timeout_seconds, on_progress, errors)
    if extract and "findings" in result:  # the worker did not answer: the finding says why
        result = {"error": result["findings"][0]["message_en"][:100]}
    return result


def _collect(
    process: subprocess.Popen[bytes],
    timeout: float,
    on_progress: Callable[[int, int], None] | None,
    errors: Any,
) -> dict[str, Any]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    result: dict[str, Any] | None = None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        open_stream = True
        while open_stream:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(process)
                return _uncheckable((f"超过 {timeout:g} 秒未完成", f"no answer within {timeout:g} s"))
            if not selector.select(remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                open_stream = False
            buffer += chunk
            if len(buffer) > 4 << 20:
                _kill(process)
                return _uncheckable(("输出过大", "too much output"))
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                message = _parse(line)
                if "progress" in message and on_progress is not None:
                    on_progress(int(message["progress"]), int(message["total"]))
                elif "result" in message:
                    result = message["result"]
    try:
        code = process.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill(process)
        code = -signal.SIGKILL
    process.stdout.close()
    if result is not None and code == 0:
        return result
    if code == -signal.SIGXCPU or code == -signal.SIGKILL:
        return _uncheckable(("处理时间超限", "CPU time limit reached"))
    if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return _uncheckable(("解析器异常中止，可能是内存超限", "the parser aborted, probably out of memory"))
    errors.seek(0)
    tail = errors.read()[-4000:].decode("utf-8", "replace")
    if "MemoryError" in tail or "bad_alloc" in tail or "Out of memory" in tail:
        return _uncheckable(("内存超限", "out of memory"))
    return _uncheckable((f"检查进程异常退出（{code}）", f"the checker exited with {code}"))


def _parse(line: bytes) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
