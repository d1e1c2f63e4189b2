"""`make bench`: run every bench/bench_*.py module's main(); each prints its figures as ratios
against a baseline measured in the same run (these machines are noisy)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    only = set(sys.argv[1:])
    folder = Path(__file__).resolve().parent
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (only and info.name not in only):
            continue
        print(f"== {info.name}", flush=True)
        importlib.import_module(f"bench.{info.name}").main()


if __name__ == "__main__":
    main()
