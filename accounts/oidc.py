"""Beijing Tong (北京通) login over OpenID Connect for applicants, on mozilla-django-oidc.

Enabled when ``settings.IDENTITY_PROVIDER == "oidc"``: the URLs appear under /accounts/oidc/ and
``accounts.oidc.BeijingTongBackend`` must be listed in AUTHENTICATION_BACKENDS.
"""

from __future__ import annotations

import hashlib
from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.identity import IdentityError, OidcIdentityProvider, VerifiedIdentity
from accounts.models import Role, User
from core.crypto import id_hmac


def identity_from_claims(claims: dict[str, Any]) -> VerifiedIdentity:
    """Map userinfo claims (`name`, `id_number` or `idcard`) to a VerifiedIdentity."""
    return OidcIdentityProvider().identity_from_claims(claims)


class BeijingTongBackend(OIDCAuthenticationBackend):
    """Links the OIDC login to the applicant with the same ID number, or registers a new one."""

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
