"""Issue 11, production 10: Beijing Tong sign-in end to end against a real OpenID Connect provider.

The provider is panva/oidc-provider (npm, OpenID-certified), started by this test on 127.0.0.1 from
`oidc-op/` (installed by `make oidc`, which runs this file; `.ci/run` calls it). The service runs in
pytest-django's live server with mozilla-django-oidc and `accounts.oidc.BeijingTongBackend`; the test
is the browser (requests), following every redirect and submitting the provider's own login and
consent pages. Nothing is mocked: codes, tokens, signatures, JWKS and user info are the provider's.

To present a refused token the test puts a tampering relay between the service and the provider's
token endpoint (the service's OIDC_OP_TOKEN_ENDPOINT points at it): it passes the real response
through, or breaks the ID token's signature, or swaps in a genuine ID token the same provider issued
to another client (same nonce, valid signature, wrong audience — mozilla-django-oidc alone accepts
it, the backend refuses it).
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.urls import clear_url_caches

from accounts.identity import make_id_number
from accounts.models import OidcLink, User

ROOT = Path(__file__).resolve().parents[2]
OP_DIR = ROOT / "oidc-op"
CLIENT_ID, CLIENT_SECRET = "permits", "permits-e2e-secret"
OTHER_ID, OTHER_SECRET, OTHER_REDIRECT = "other-app", "other-e2e-secret", "http://127.0.0.1:9/cb"
ALICE_ID = make_id_number("110108", date(1988, 2, 29), 22)

pytestmark = [
    pytest.mark.oidc,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (OP_DIR / "node_modules" / "oidc-provider").is_dir() or shutil.which("node") is None,
        reason="the OIDC provider is installed by `make oidc`",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Relay:
    """Between the service and the provider's token endpoint: pass, break or substitute the ID token."""

    def __init__(self, token_endpoint: str) -> None:
        self.token_endpoint = token_endpoint
        self.mode = "pass"
        self.substitute = ""
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                upstream = requests.post(
                    relay.token_endpoint,
                    data=body,
                    headers={"Content-Type": self.headers.get("Content-Type", "")},
                    timeout=30,
                )
                payload = upstream.json()
                if "id_token" in payload:
                    payload["id_token"] = relay.rewrite(payload["id_token"])
                data = json.dumps(payload).encode()
                self.send_response(upstream.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def rewrite(self, id_token: str) -> str:
        if self.mode == "bad_signature":
            header, payload, signature = id_token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims["sub"] = "mallory"
            forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            return f"{header}.{forged}.{signature}"
        if self.mode == "substitute":
            return self.substitute
        return id_token


@pytest.fixture
def provider(live_server: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = _free_port()
    accounts = tmp_path / "accounts.json"
    accounts.write_text(
        json.dumps({"alice": {"name": "李娜", "id_number": ALICE_ID, "email": "li.na@example.cn"}}),
        encoding="utf-8",
    )
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{live_server.url}/accounts/oidc/callback/"],
        },
        {"client_id": OTHER_ID, "client_secret": OTHER_SECRET, "redirect_uris": [OTHER_REDIRECT]},
    ]
    log = (tmp_path / "op.log").open("wb")
    process = subprocess.Popen(
        ["node", "server.mjs"],
        cwd=OP_DIR,
        env={
            **os.environ,
            "OP_PORT": str(port),
            "OP_CLIENTS": json.dumps(clients),
            "OP_ACCOUNTS": str(accounts),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).json()
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise AssertionError("the OIDC provider did not start: " + (tmp_path / "op.log").read_text())
        yield {"issuer": issuer, "discovery": discovery, "accounts": accounts}
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def relay(provider: dict[str, Any]) -> Iterator[Relay]:
    relay = Relay(provider["discovery"]["token_endpoint"])
    yield relay
    relay.server.shutdown()


@pytest.fixture
def oidc_service(settings: Any, provider: dict[str, Any], relay: Relay) -> Iterator[None]:
    discovery = provider["discovery"]
    settings.IDENTITY_PROVIDER = "oidc"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.BeijingTongBackend"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = relay.url
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_OP_ISSUER = provider["issuer"]
    _reload_urls()
    yield
    settings.IDENTITY_PROVIDER = "dev"
    _reload_urls()


def _reload_urls() -> None:
    import accounts.urls
    import config.urls

    importlib.reload(accounts.urls)
    importlib.reload(config.urls)
    clear_url_caches()


def _form(html: str, base: str) -> tuple[str, dict[str, str]] | None:
    match = re.search(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    if match is None:
        return None
    fields = {}
    for tag in re.findall(r"<input[^>]*>", match.group(2)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return urljoin(base, unescape(match.group(1))), fields


def drive(browser: requests.Session, url: str, stop: str, login: str = "alice") -> str:
    """Follow redirects and submit the provider's login and consent pages until a redirect to `stop`."""
    method, data = "GET", None
    for _ in range(20):
        response = browser.request(method, url, data=data, allow_redirects=False, timeout=30)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
            if url.startswith(stop):
                return url
            continue
        assert response.status_code == 200, (response.status_code, response.text[:1000])
        form = _form(response.text, url)
        assert form is not None, response.text[:1000]
        url, data = form[0], form[1]
        if "login" in data:
            data.update({"login": login, "password": "any"})
        method = "POST"
    raise AssertionError("too many steps at the provider")


def sign_in(browser: requests.Session, base: str) -> requests.Response:
    """Click "使用北京通登录" and go through the provider; returns the service's final page."""
    start = browser.get(f"{base}/accounts/oidc/authenticate/", allow_redirects=False, timeout=30)
    assert start.status_code == 302
    callback = drive(browser, start.headers["Location"], f"{base}/accounts/oidc/callback/")
    return browser.get(callback, timeout=30)


def _logged_in(browser: requests.Session, base: str) -> bool:
    response = browser.get(f"{base}/applicants/profile/", allow_redirects=False, timeout=30)
    return response.status_code == 200


def test_authorization_code_sign_in_creates_then_links_the_applicant(live_server, oidc_service):
    base = live_server.url
    login_page = requests.get(f"{base}/accounts/login/", timeout=30).text
    assert "/accounts/oidc/authenticate/" in login_page

    browser = requests.Session()
    page = sign_in(browser, base)
    assert page.status_code == 200 and page.url.rstrip("/") == base, page.url
    user = User.objects.get(applicant__isnull=False)
    assert user.applicant.name == "李娜" and user.applicant.identity_provider == "oidc"
    assert OidcLink.objects.get(user=user).subject == "alice"
    assert _logged_in(browser, base)

    # A second sign-in (new browser, same provider account) lands on the same account.
    again = requests.Session()
    assert sign_in(again, base).status_code == 200
    assert User.objects.filter(applicant__isnull=False).count() == 1
    assert _logged_in(again, base)


def test_a_token_with_a_bad_signature_is_refused(live_server, oidc_service, relay):
    relay.mode = "bad_signature"
    browser = requests.Session()
    page = sign_in(browser, live_server.url)
    assert page.status_code == 403 and "/accounts/sign-in-refused/" in page.url
    assert "登录凭证未能通过验证" in page.text
    assert not _logged_in(browser, live_server.url)
    assert not User.objects.filter(applicant__isnull=False).exists()


def test_a_token_issued_to_another_client_is_refused(live_server, oidc_service, relay, provider):
    """Wrong audience: a genuine ID token (valid signature, the right nonce) issued to another client."""
    base = live_server.url
    browser = requests.Session()
    start = browser.get(f"{base}/accounts/oidc/authenticate/", allow_redirects=False, timeout=30)
    authorize = start.headers["Location"]
    nonce = parse_qs(urlparse(authorize).query)["nonce"][0]
    # The same provider issues a token to the other client, for the same nonce.
    other = requests.Session()
    other_url = (
        f"{provider['discovery']['authorization_endpoint']}?client_id={OTHER_ID}&response_type=code"
        f"&scope=openid&redirect_uri={OTHER_REDIRECT}&state=s&nonce={nonce}"
    )
    code = parse_qs(urlparse(drive(other, other_url, OTHER_REDIRECT)).query)["code"][0]
    tokens = requests.post(
        provider["discovery"]["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OTHER_REDIRECT,
            "client_id": OTHER_ID,
            "client_secret": OTHER_SECRET,
        },
        timeout=30,
    ).json()
    claims = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[1] + "=="))
    assert claims["aud"] == OTHER_ID and claims["nonce"] == nonce
    relay.mode, relay.substitute = "substitute", tokens["id_token"]

    callback = drive(browser, authorize, f"{base}/accounts/oidc/callback/")
    page = browser.get(callback, timeout=30)
    assert page.status_code == 403 and "登录凭证未能通过验证" in page.text
    assert not _logged_in(browser, base)
    assert not User.objects.filter(applicant__isnull=False).exists()


def test_user_info_that_no_longer_matches_the_account_is_refused(live_server, oidc_service, provider):
    """The provider now says the same subject has another ID number: refused, nothing changed."""
    base = live_server.url
    assert sign_in(requests.Session(), base).status_code == 200
    user = User.objects.get(applicant__isnull=False)
    accounts = json.loads(provider["accounts"].read_text(encoding="utf-8"))
    accounts["alice"]["id_number"] = make_id_number("110108", date(1990, 5, 17), 31)
    provider["accounts"].write_text(json.dumps(accounts), encoding="utf-8")

    browser = requests.Session()
    page = sign_in(browser, base)
    assert page.status_code == 403 and "/accounts/sign-in-refused/" in page.url
    assert "身份证号不一致" in page.text
    assert not _logged_in(browser, base)
    user.refresh_from_db()
    assert User.objects.filter(applicant__isnull=False).count() == 1
    assert OidcLink.objects.get().user == user
