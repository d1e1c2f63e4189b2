"""`manage.py eligibility check FILE|-` and `manage.py eligibility batch IN.jsonl OUT.jsonl`.

`check` prints the contract's result (the same bytes as POST /api/v1/eligibility/check); exit 0 when
the case was evaluated, exit 2 with one line on stderr naming the field on invalid input or when a
parameter or calendar year is not in force on the case's dates.

`batch` evaluates one case per line with a progress bar on stderr; every input line gives one output
line (the result, or `{"line": N, "detail": [...]}`); a summary by decision closes the run. Exit 0
when every line was evaluated, 2 when some were not (the others still ran).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from eligibility import services

EXIT_INVALID = 2


class Command(BaseCommand):
    help = "资格评估：check 评估一个案件；batch 批量评估 JSONL 文件。"
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,batch}")
        check = sub.add_parser("check", help="评估一个案件（文件或 - 表示标准输入）")
        check.add_argument("file", help="案件事实 JSON 文件；- 表示标准输入")
        check.add_argument("--lang", choices=services.ENGINE_LANGS, default="zh")
        batch = sub.add_parser("batch", help="批量评估：每行一个案件事实 JSON")
        batch.add_argument("infile", help="输入 JSONL 文件；- 表示标准输入")
        batch.add_argument("outfile", help="输出 JSONL 文件；- 表示标准输出")
        batch.add_argument("--lang", choices=services.ENGINE_LANGS, default="zh")
        batch.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        self._stdin = options.get("stdin") or sys.stdin
        if options["action"] == "check":
            self.run_check(options["file"], options["lang"])
        else:
            self.run_batch(options["infile"], options["outfile"], options["lang"], not options["no_progress"])

    def _fail(self, line: str) -> None:
        self.stderr.write(line.replace("\n", " "), ending="\n")
        raise SystemExit(EXIT_INVALID)

    def _read(self, name: str) -> str:
        if name == "-":
            return str(self._stdin.read())
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"{name}: cannot read: {exc}")
            raise  # unreachable: _fail exits

    def run_check(self, name: str, lang: str) -> None:
        text = self._read(name)
        try:
            result = services.evaluate_text(text, lang=lang)
        except services.EvaluationError as exc:
            self._fail(str(exc))
            return
        self.stdout.write(services.dumps(result), ending="")

    def run_batch(self, in_name: str, out_name: str, lang: str, progress: bool) -> None:
        lines = self._read(in_name).splitlines()
        counts: Counter[str] = Counter()
        errors = 0
        out: Any
        out = self.stdout if out_name == "-" else open(out_name, "w", encoding="utf-8")  # noqa: SIM115
        try:
            bar = tqdm(
                enumerate(lines, start=1),
                total=len(lines),
                file=sys.stderr,
                disable=not progress,
                unit="件",
                desc="评估",
            )
            for number, line in bar:
                if not line.strip():
                    continue
                try:
                    result = services.evaluate_text(line, lang=lang)
                except services.EvaluationError as exc:
                    errors += 1
                    out.write(services.dumps({"line": number, "detail": exc.detail()}))
                    tqdm.write(f"第 {number} 行: {exc}", file=sys.stderr)
                    continue
                counts[str(result.get("decision"))] += 1
                out.write(services.dumps(result))
        finally:
            if out is not self.stdout:
                out.close()
        evaluated = sum(counts.values())
        summary = "，".join(f"{decision} {n}" for decision, n in sorted(counts.items()))
        self.stderr.write(
            f"共 {evaluated + errors} 件：已评估 {evaluated}（{summary or '无'}），错误 {errors}", ending="\n"
        )
        if errors:
            raise SystemExit(EXIT_INVALID)
