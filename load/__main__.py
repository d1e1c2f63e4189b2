"""`make load`: the portal under load, as an operator deploys it, bounded in time.

1. A persistent PostgreSQL database at scale (created once, reused while its version and scale match):
   migrations, the demo data, then `load.populate` (COPY) and ANALYZE.
2. gunicorn (3 workers) with the production settings, and a `db_worker` process.
3. The demo roles log in over HTTP (staff pass TOTP with the code of their device).
4. wrk (Debian) runs each page alone, /healthz in the same run, then the mixed scenario
   (public 40 %, applicant 25 %, employer 20 %, reviewer 15 %) with POSTs.
5. The table (rps, median, p99, errors, ratio to /healthz) is printed and written with the EXPLAIN
   of each page's main query to var/load/report.md. Everything started is stopped.

Environment: LOAD_CASES (1000000), LOAD_PERMITS (30 % of cases), LOAD_DOCUMENTS (= cases),
LOAD_SECONDS per page (10), LOAD_MIXED_SECONDS (30), LOAD_WARMUP_SECONDS (15), LOAD_CONNECTIONS (8),
LOAD_PORT (8765),
LOAD_PG (postgres://postgres@127.0.0.1:5432), LOAD_DB_PREFIX (h_load), LOAD_REDIS_URL (redis db 11 when
a Redis answers at 127.0.0.1:6379).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Bump when the generated population changes: a database of another version is rebuilt.
VERSION = 1
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "load"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Demo-2025-pass"
# Fixed keys for this throw-away database only (its encrypted fields must stay readable between runs).
LOAD_ENV = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "load-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_FIELD_ENCRYPTION_KEYS": "bG9hZC10ZXN0LW9ubHktZmllbGQta2V5LTMyYnl0ZXM=",
    "DJANGO_FIELD_HMAC_KEY": "load-test-only-hmac-key",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SSL_REDIRECT": "0",
    "TASKS_BACKEND": "database",
    "LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Config:
    cases: int = field(default_factory=lambda: env_int("LOAD_CASES", 1_000_000))
    seconds: int = field(default_factory=lambda: env_int("LOAD_SECONDS", 10))
    mixed_seconds: int = field(default_factory=lambda: env_int("LOAD_MIXED_SECONDS", 30))
    connections: int = field(default_factory=lambda: env_int("LOAD_CONNECTIONS", 8))
    warmup_seconds: int = field(default_factory=lambda: env_int("LOAD_WARMUP_SECONDS", 15))
    port: int = field(default_factory=lambda: env_int("LOAD_PORT", 8765))
    pg: str = field(default_factory=lambda: os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432"))
    prefix: str = field(default_factory=lambda: os.environ.get("LOAD_DB_PREFIX", "h_load"))

    @property
    def permits(self) -> int:
        return env_int("LOAD_PERMITS", self.cases * 3 // 10)

    @property
    def documents(self) -> int:
        return env_int("LOAD_DOCUMENTS", self.cases)

    @property
    def database(self) -> str:
        return f"{self.prefix}_v{VERSION}_{self.cases}"

    @property
    def url(self) -> str:
        return f"{self.pg}/{self.database}"


def django_env(config: Config) -> dict[str, str]:
    env = dict(os.environ)
    env.update(LOAD_ENV)
    env["DATABASE_URL"] = config.url
    env["VAR_DIR"] = str(OUT / "run")
    env.setdefault("REDIS_URL", os.environ.get("LOAD_REDIS_URL", _redis_url()))
    if not env["REDIS_URL"]:
        env.pop("REDIS_URL")
    return env


def _redis_url() -> str:
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
        return "redis://127.0.0.1:6379/11"
    return ""


def manage(
    config: Config, *args: str, production: bool = True, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    env = django_env(config)
    if not production:
        for name in ("DJANGO_PRODUCTION",):
            env.pop(name, None)
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, **kwargs)


# --- the database ----------------------------------------------------------------------------------


def _psql(config: Config, database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", f"{config.pg}/{database}", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(result.stderr.strip())
    return result.stdout.strip()


def marker_of(config: Config) -> str:
    return f"v{VERSION} {config.cases} {config.permits} {config.documents}"


def database_ready(config: Config) -> bool:
    try:
        marker = _psql(config, config.database, "SELECT value FROM load_meta WHERE key = 'complete'")
    except RuntimeError:
        return False
    return marker == marker_of(config)


def build_database(config: Config) -> None:
    print(f"building {config.database} (once; reused by later runs)", flush=True)
    _psql(config, "postgres", f"DROP DATABASE IF EXISTS {config.database}")
    _psql(config, "postgres", f"CREATE DATABASE {config.database}")
    start = time.perf_counter()
    manage(config, "migrate", "--noinput", "-v", "0")
    manage(config, "load_demo_data", stdout=subprocess.DEVNULL)
    env = django_env(config)
    subprocess.run(
        [PYTHON, "-m", "load.populate", str(config.cases), str(config.permits), str(config.documents)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    _psql(
        config,
        config.database,
        "CREATE TABLE load_meta (key text PRIMARY KEY, value text); "
        f"INSERT INTO load_meta VALUES ('complete', '{marker_of(config)}'), "
        f"('built_seconds', '{time.perf_counter() - start:.0f}')",
    )
    print(f"built in {time.perf_counter() - start:.0f} s", flush=True)


# --- processes -------------------------------------------------------------------------------------


class Processes:
    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        handle = log.open("ab")
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.started):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.time() + 15
        for proc in self.started:
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# --- HTTP sessions ---------------------------------------------------------------------------------


class Browser:
    """Just enough of a browser for logging in: cookies kept by hand (production cookies are Secure,
    and the load runs over plain HTTP on 127.0.0.1)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie_header(), "X-Forwarded-For": "10.255.0.1"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key] = val
        text = response.read().decode("utf-8", "replace")
        location = response.getheader("Location") or ""
        conn.close()
        return response.status, location, text

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v and v != '""')

    def csrf(self, text: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def login(self, config: Config, username: str, *, staff: bool = False) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(page), "username": username, "password": PASSWORD},
        )
        assert status == 302, f"login of {username}: {status}"
        if staff:
            _, _, page = self.request("GET", "/accounts/otp/")
            code = manage(config, "otp_code", username, production=False, capture_output=True).stdout.strip()
            status, location, _ = self.request(
                "POST", "/accounts/otp/", {"csrfmiddlewaretoken": self.csrf(page), "token": code}
            )
            assert status == 302 and "/accounts/" not in location, f"TOTP of {username}: {status} {location}"
        status, location, _ = self.request("GET", "/")
        assert status == 200, f"{username} home: {status} {location}"


# --- wrk -------------------------------------------------------------------------------------------


@dataclass
class Request:
    weight: float
    label: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def line(self) -> str:
        headers = "|".join(f"{k}: {v}" for k, v in self.headers.items())
        return "\t".join([f"{self.weight:g}", self.label, self.method, self.path, headers, self.body])


@dataclass
class Result:
    label: str
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int
    requests: int


_POOL_OFFSET = [0]


def run_wrk(
    label: str, requests: list[Request], seconds: int, connections: int, pools: dict[str, Path]
) -> Result:
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join(r.line() for r in requests) + "\n")
        listing = handle.name
    # Each run uses its own part of the pools (a decided case cannot be decided again).
    env = dict(
        os.environ, LOAD_REQUESTS=listing, LOAD_THREADS=str(threads), LOAD_POOL_OFFSET=str(_POOL_OFFSET[0])
    )
    if any("{pool:" in r.path for r in requests):
        _POOL_OFFSET[0] += 5000
    for name, path in pools.items():
        env[f"LOAD_POOL_{name}"] = str(path)
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(Path(__file__).with_name("scenario.lua")),
            f"http://127.0.0.1:{PORT[0]}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    os.unlink(listing)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("LOADJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed for {label}: {result.stdout}\n{result.stderr}")
    data = json.loads(line[len("LOADJSON ") :])
    return Result(
        label=label,
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["socket_errors"] + data["bad"],
        requests=data["requests"],
    )


PORT = [8765]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def scenario(config: Config, sessions: dict[str, Browser], pages: dict[str, Any]) -> dict[str, list[Request]]:
    """The pages, each alone, and the mixed scenario."""

    def auth(role: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Cookie": sessions[role].cookie_header(), **(extra or {})}

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    applicant_case = pages["applicant_case"]
    api_body = json.dumps(pages["api_facts"], separators=(",", ":"))
    decide_body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": pages["decide_csrf"],
            "decision": "return_to_employer",
            "version": str(pages["case_version"]),
            "opinion": "请补充近六个月的纳税证明。",
            "tips": "",
        }
    )
    public = [
        Request(12, "anonymous home", "/"),
        Request(14, "self-check (GET)", "/eligibility/self-check/"),
        Request(4, "deadline calculator", "/eligibility/deadlines/"),
        Request(
            6,
            "public API check (POST)",
            "/api/v1/eligibility/check",
            "POST",
            {"Content-Type": "application/json"},
            api_body,
        ),
    ]
    applicant = [
        Request(9, "applicant home", "/", headers=auth("applicant")),
        Request(5, "applicant profile", "/applicants/profile/", headers=auth("applicant")),
        Request(4, "applicant case", f"/cases/{applicant_case}/", headers=auth("applicant")),
        Request(3, "inbox", "/inbox/", headers=auth("applicant")),
        Request(
            4,
            "profile autosave (POST)",
            "/applicants/profile/section/residence/",
            "POST",
            auth("applicant", {**form, "HX-Request": "true", "X-CSRFToken": pages["applicant_csrf"]}),
            pages["autosave_body"],
        ),
    ]
    employer = [
        Request(7, "employer home", "/", headers=auth("employer")),
        Request(8, "employer case list", "/cases/", headers=auth("employer")),
        Request(5, "employer permits", "/permits/", headers=auth("employer")),
    ]
    reviewer = [
        Request(5, "reviewer queue", "/cases/review/", headers=auth("reviewer")),
        Request(
            4,
            "reviewer queue, kind + clause",
            "/cases/review/?kind=renewal&clause=3",
            headers=auth("reviewer"),
        ),
        Request(4, "reviewer case", f"/cases/review/{pages['review_case']}/", headers=auth("reviewer")),
        Request(
            2,
            "reviewer decision (POST)",
            "/cases/review/{pool:DECIDE}/decide/",
            "POST",
            auth("reviewer", form),
            decide_body,
        ),
    ]
    everything = public + applicant + employer + reviewer
    for group, share in ((public, 40), (applicant, 25), (employer, 20), (reviewer, 15)):
        total = sum(r.weight for r in group)
        for r in group:
            r.weight = r.weight / total * share
    plan: dict[str, list[Request]] = {"/healthz": [Request(1, "/healthz", "/healthz")]}
    for r in everything:
        if r.label == "reviewer decision (POST)":
            continue  # measured within the mixed scenario only (each decision uses up a case)
        plan[r.label] = [Request(1, r.label, r.path, r.method, r.headers, r.body)]
    plan["mixed"] = everything
    return plan


def prepare(config: Config) -> dict[str, Any]:
    """Identifiers and bodies the scenario needs, read from the database (load.prepare)."""
    out = subprocess.run(
        [PYTHON, "-m", "load.prepare", "prepare", str(OUT / "decide.pool")],
        cwd=ROOT,
        env=django_env(config),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    config = Config()
    PORT[0] = config.port
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "run").mkdir(exist_ok=True)
    started = time.time()
    load_before = load_average()
    if not database_ready(config):
        build_database(config)
    else:
        print(f"reusing {config.database}", flush=True)
    if sys.argv[1:] == ["build"]:  # `python -m load build`: only make sure the database exists
        return
    manage(config, "migrate", "--noinput", "-v", "0")
    manage(config, "collectstatic", "--noinput", "-v", "0")
    env = django_env(config)
    processes = Processes()
    results: list[Result] = []
    try:
        processes.start(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "--workers",
                "3",
                "--bind",
                f"127.0.0.1:{config.port}",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],
            env,
            OUT / "gunicorn.log",
        )
        processes.start([PYTHON, "manage.py", "db_worker"], env, OUT / "worker.log")
        _wait_up(config.port)
        sessions = {
            "applicant": Browser(config.port),
            "employer": Browser(config.port),
            "reviewer": Browser(config.port),
        }
        sessions["applicant"].login(config, "applicant1")
        sessions["employer"].login(config, "hr_tech")
        sessions["reviewer"].login(config, "reviewer", staff=True)
        pages = prepare(config)
        pages.update(_page_forms(sessions))
        plan = scenario(config, sessions, pages)
        pools = {"DECIDE": OUT / "decide.pool"}
        print(
            f"load average before: {load_before}; "
            f"pages {config.seconds} s each at {config.connections} connections",
            flush=True,
        )
        # Warm-up, not measured: each worker's first requests load the rules, parameters and
        # templates (several seconds on a busy machine).
        run_wrk("warm-up", plan["mixed"], config.warmup_seconds, config.connections, pools)
        for label, requests in plan.items():
            seconds = config.mixed_seconds if label == "mixed" else config.seconds
            result = run_wrk(label, requests, seconds, config.connections, pools)
            results.append(result)
            print(
                f"  {label:32} {result.rps:8.1f} rps  p50 {result.p50_ms:6.1f} ms  "
                f"p99 {result.p99_ms:6.1f} ms  errors {result.errors}",
                flush=True,
            )
            if label == "/healthz":
                # healthz again at the end: the machine is shared, the baseline drifts
                pass
        results.append(
            run_wrk("/healthz (again)", plan["/healthz"], config.seconds, config.connections, pools)
        )
    finally:
        processes.stop()
    load_after = load_average()
    explain = subprocess.run(
        [PYTHON, "-m", "load.prepare", "explain"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    report = render_report(
        config, results, load_before, load_after, explain.stdout or explain.stderr, time.time() - started
    )
    (OUT / "report.md").write_text(report)
    print(report.split("## EXPLAIN")[0])
    print(f"report: {OUT / 'report.md'}")


def _wait_up(port: int) -> None:
    deadline = time.time() + 90
    while time.time() < deadline:
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz in 90 s (var/load/gunicorn.log)")


def _page_forms(sessions: dict[str, Browser]) -> dict[str, str]:
    """Bodies for the POSTs, taken from the pages as a browser would."""
    applicant = sessions["applicant"]
    _, _, profile = applicant.request("GET", "/applicants/profile/")
    block = profile[profile.index('id="version-residence"') - 3000 :]
    version = re.search(r'id="version-residence" value="(\d+)"', profile)
    page = re.search(r'name="page" value="([0-9a-f]+)"', profile)
    assert version and page, "profile page without its residence form"
    del block
    csrf = applicant.csrf(profile)
    fields = _form_fields(profile, "residence")
    fields.update({"csrfmiddlewaretoken": csrf, "version": version.group(1), "page": page.group(1)})
    reviewer = sessions["reviewer"]
    _, _, queue = reviewer.request("GET", "/cases/review/")
    return {
        "applicant_csrf": csrf,
        "autosave_body": urllib.parse.urlencode(fields),
        "decide_csrf": reviewer.csrf(queue),
    }


def _form_fields(page: str, key: str) -> dict[str, str]:
    """The current values of one section form of the profile page (inputs and selected options)."""
    start = page.index(f"/applicants/profile/section/{key}/")
    end = page.index("</form>", start)
    form = page[start:end]
    fields: dict[str, str] = {}
    for match in re.finditer(r"<input[^>]*>", form):
        tag = match.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        if not name or ('type="hidden"' in tag and name.group(1) in ("version", "page")):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if ('type="checkbox"' in tag or 'type="radio"' in tag) and "checked" not in tag:
            continue
        fields[name.group(1)] = value.group(1) if value else ""
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        fields[match.group(1)] = selected.group(1) if selected else ""
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[match.group(1)] = match.group(2).strip()
    return fields


def render_report(
    config: Config, results: list[Result], before: str, after: str, explain: str, elapsed: float
) -> str:
    import platform

    healthz = [r for r in results if r.label.startswith("/healthz")]
    base = sum(r.rps for r in healthz) / len(healthz)
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.machine(),
    )
    lines = [
        "# Load test (`make load`)",
        "",
        f"- scale: {config.cases:,} cases, {config.permits:,} permits, {config.documents:,} documents "
        f"(database `{config.database}`)",
        "- server: gunicorn, 3 workers, production settings, PostgreSQL, `db_worker`; "
        f"wrk 2 threads, {config.connections} connections, "
        f"{config.seconds} s per page, {config.mixed_seconds} s mixed",
        f"- machine: {os.cpu_count()} cores ({cpu}); load average before {before}, after {after}",
        f"- run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {elapsed:.0f} s",
        f"- baseline: /healthz {base:.0f} rps (mean of the two /healthz runs); "
        "ratio = page rps / /healthz rps",
        "",
        "| page | rps | median ms | p99 ms | errors | ratio to /healthz |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.label} | {r.rps:.1f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | {r.rps / base:.3f} |"
        )
    lines += ["", "## EXPLAIN of each page's main query", "", explain]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
