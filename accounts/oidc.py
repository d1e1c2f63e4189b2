"""Beijing Tong (北京通) login over OpenID Connect for applicants, on mozilla-django-oidc.

Enabled when ``settings.IDENTITY_PROVIDER == "oidc"``: the URLs appear under /accounts/oidc/ and
``accounts.oidc.BeijingTongBackend`` must be listed in AUTHENTICATION_BACKENDS.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.identity import IdentityError, OidcIdentityProvider, VerifiedIdentity
from accounts.models import OidcLink, Role, User
from core.crypto import id_hmac

logger = logging.getLogger(__name__)

# Why a sign-in was refused, for the page the user lands on (`accounts:oidc_refused`).
REFUSAL_SESSION_KEY = "oidc_refusal"
REFUSED_TOKEN = "token"  # bad signature, wrong audience or issuer, expired, bad nonce
REFUSED_MISMATCH = "mismatch"  # the user info does not match the ID token or the linked account
REFUSED_CLAIMS = "claims"  # no valid name / ID number in the user info


class OidcRefused(SuspiciousOperation):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def identity_from_claims(claims: dict[str, Any]) -> VerifiedIdentity:
    """Map userinfo claims (`name`, `id_number` or `idcard`) to a VerifiedIdentity."""
    return OidcIdentityProvider().identity_from_claims(claims)


class BeijingTongBackend(OIDCAuthenticationBackend):
    """Links the OIDC login to the applicant with the same ID number, or registers a new one.

    On top of mozilla-django-oidc (which checks the signature and the nonce only): the ID token's
    audience must be this client and its issuer the configured one; the user info must be about the
    ID token's subject; a subject already linked to an account must bring that account's ID number,
    and an account linked to one subject cannot be taken over by another. Any refusal logs nobody in
    and leaves the reason in the session for the refusal page."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        try:
            return super().authenticate(request, **kwargs)
        except OidcRefused as refusal:
            self._refuse(request, refusal.reason, str(refusal))
        except SuspiciousOperation as error:
            self._refuse(request, REFUSED_TOKEN, str(error))
        except requests.RequestException as error:
            self._refuse(request, REFUSED_TOKEN, f"provider request failed: {type(error).__name__}")
        return None

    @staticmethod
    def _refuse(request: HttpRequest | None, reason: str, detail: str) -> None:
        logger.warning("OIDC sign-in refused (%s): %s", reason, detail)
        if request is not None and hasattr(request, "session"):
            request.session[REFUSAL_SESSION_KEY] = reason

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        client_id = self.OIDC_RP_CLIENT_ID
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if client_id not in audiences:
            raise OidcRefused(REFUSED_TOKEN, "ID token audience is not this client")
        if len(audiences) > 1 and payload.get("azp") != client_id:
            raise OidcRefused(REFUSED_TOKEN, "ID token authorised party is not this client")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise OidcRefused(REFUSED_TOKEN, "ID token issuer is not the configured provider")
        if not payload.get("sub"):
            raise OidcRefused(REFUSED_TOKEN, "ID token without subject")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        try:
            return self._link(access_token, id_token, payload)
        except OidcRefused as refusal:  # mozilla-django-oidc swallows it: keep the reason first
            self._refuse(getattr(self, "request", None), refusal.reason, str(refusal))
            raise

    def _link(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        user_info = self.get_userinfo(access_token, id_token, payload)
        subject = str(payload["sub"])
        if str(user_info.get("sub") or "") != subject:
            raise OidcRefused(REFUSED_MISMATCH, "user info subject differs from the ID token's")
        if not self.verify_claims(user_info):
            raise OidcRefused(REFUSED_CLAIMS, "claims verification failed")
        digest = id_hmac(identity_from_claims(user_info).id_number)
        link = OidcLink.objects.filter(subject=subject).first()
        if link is not None:
            if not User.objects.filter(pk=link.user_id, applicant__id_number_hmac=digest).exists():
                raise OidcRefused(REFUSED_MISMATCH, "ID number claim differs from the linked account's")
            return self.update_user(link.user, user_info)
        users = list(self.filter_users_by_claims(user_info))
        if len(users) > 1:
            raise OidcRefused(REFUSED_MISMATCH, "several accounts match")
        if users:
            user = users[0]
            if OidcLink.objects.filter(user=user).exists():
                raise OidcRefused(REFUSED_MISMATCH, "the account is linked to another subject")
            user = self.update_user(user, user_info)
        else:
            user = self.create_user(user_info)
        OidcLink.objects.create(user=user, subject=subject)
        return user

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        try:
            identity_from_claims(claims)
        except IdentityError:
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        identity = identity_from_claims(claims)
        return User.objects.filter(applicant__id_number_hmac=id_hmac(identity.id_number), role=Role.APPLICANT)

    def create_user(self, claims: dict[str, Any]) -> User:
        from applicants.services import register_applicant

        identity = identity_from_claims(claims)
        email = str(claims.get("email") or "").strip().lower()
        subject = str(claims.get("sub") or identity.id_number)
        digest = hashlib.sha256(subject.encode()).hexdigest()[:16]
        if not email:
            email = f"bjt-{digest}@users.invalid"
        applicant = register_applicant(
            identity=identity,
            email=email,
            phone=str(claims.get("phone_number") or ""),
            password=None,
            provider="oidc",
            username=f"bjt-{digest}",
        )
        return applicant.user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        identity = identity_from_claims(claims)
        applicant = user.applicant
        if applicant.name != identity.name:
            applicant.name = identity.name
            applicant.save(update_fields=["name"])
            user.display_name = identity.name
            user.save(update_fields=["display_name"])
        return user
