"""View guards by role. Staff (reviewers, supervisors) must also have passed the second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import Role

View = Callable[..., HttpResponse]


def _guard(allowed: frozenset[str], *, second_factor: bool) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:
                from django.http import Http404

                raise Http404
            if second_factor and not getattr(user, "is_verified", lambda: False)():
                return redirect(f"/accounts/otp/?next={request.get_full_path()}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


applicant_required = _guard(frozenset({Role.APPLICANT}), second_factor=False)
operator_required = _guard(frozenset({Role.OPERATOR}), second_factor=False)
staff_required = _guard(frozenset({Role.REVIEWER, Role.SUPERVISOR}), second_factor=True)
supervisor_required = _guard(frozenset({Role.SUPERVISOR}), second_factor=True)
ratifier_required = _guard(frozenset({Role.RATIFIER}), second_factor=True)
