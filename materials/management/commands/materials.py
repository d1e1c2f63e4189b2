"""`manage.py materials checklist FILE|-`: the materials a case calls for (DOC-CHECKLIST).

Prints `{"business", "materials": [...]}` (the same bytes as POST /api/v1/materials/checklist);
exit 2 with one line `path: message` on stderr when the input is not the contract's facts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from materials.checklists import LANGS, ChecklistInputError, checklist_text, dumps

EXIT_INVALID = 2


class Command(BaseCommand):
    help = "材料：checklist 列出案件需要上传的材料。"
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{checklist}")
        checklist = sub.add_parser("checklist", help="按案件事实列出所需材料（文件或 - 表示标准输入）")
        checklist.add_argument("file", help="案件事实 JSON 文件；- 表示标准输入")
        checklist.add_argument("--lang", choices=LANGS, default="zh")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        if name == "-":
            text = str((options.get("stdin") or sys.stdin).read())
        else:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self._fail(f"{name}: cannot read: {exc}")
        try:
            result = checklist_text(text, lang=options["lang"])
        except ChecklistInputError as exc:
            self._fail(str(exc))
        self.stdout.write(dumps(result), ending="")

    def _fail(self, line: str) -> None:
        self.stderr.write(line.replace("\n", " "), ending="\n")
        raise SystemExit(EXIT_INVALID)
