"""Browser journeys: Playwright driving Debian's chromium against a live test server.

Screenshots go to var/e2e/ (git-ignored) so a person can look at what each role saw.

Accessibility (issue 10): axe-core (from the npm registry: e2e/package-lock.json, installed by
`make e2e`) is injected into every page a journey loads and at every screenshot, running the WCAG 2.1
A/AA rules; a journey fails with a readable list of the violations it met.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "var" / "e2e"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Known violations left to another branch, each for one rule on one page only (path regex, rule id).
AXE_SKIPS: list[tuple[str, str]] = []


class AxeAudit:
    """Runs axe-core in a page and keeps each violation once (by page path, rule and target)."""

    def __init__(self) -> None:
        if not AXE.is_file():
            raise RuntimeError(f"{AXE} is missing: run `make e2e` (npm ci in e2e/)")
        self.source = AXE.read_text(encoding="utf-8")
        self.found: dict[tuple[str, str, str], str] = {}
        self.pages: set[str] = set()

    def run(self, page, where: str = "") -> None:
        from playwright.sync_api import Error

        try:
            path = re.sub(r"^https?://[^/]+", "", page.url)
            if not path.startswith("/"):
                return  # about:blank, a downloaded file
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(self.source)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})"
                ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))",
                AXE_TAGS,
            )
        except Error:
            return  # the page navigated away while being audited: its successor is audited on load
        self.pages.add(path.split("?")[0])
        for violation in result:
            if any(re.search(p, path) and rule == violation["id"] for p, rule in AXE_SKIPS):
                continue
            for node in violation["nodes"]:
                key = (path.split("?")[0], violation["id"], node["target"])
                if key not in self.found:
                    self.found[key] = (
                        f"{path}{' (' + where + ')' if where else ''}: [{violation['impact']}] "
                        f"{violation['id']}: {violation['help']}\n    at {node['target']}\n    "
                        + (node["summary"] or "").replace("\n", "\n    ")
                    )

    def report(self) -> str:
        return "\n".join(self.found.values())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context per test, Chinese by default, with the live server's URL as base."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    audit = AxeAudit()
    page.axe = audit  # the `shot` fixture audits each screenshot too
    page.on("load", lambda loaded: audit.run(loaded, "load"))
    yield page
    context.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (SHOTS / "axe-audited.txt").open("a", encoding="utf-8") as log:  # what was audited, per test
        log.write(f"{request.node.nodeid}\t{len(audit.pages)}\t{' '.join(sorted(audit.pages))}\n")
    if audit.found:
        pytest.fail(
            f"axe-core (WCAG 2.1 A/AA): {len(audit.found)} violation(s) on the pages of this journey:\n"
            + audit.report(),
            pytrace=False,
        )


@pytest.fixture
def shot(request):
    """shot(page, "step-name") saves var/e2e/<test>/<NN>-step-name.png."""
    folder = SHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(page, name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        audit = getattr(page, "axe", None)
        if audit is not None:
            audit.run(page, f"shot {name}")
        return path

    return take
