"""Helpers shared by the administration pages (organisation and users)."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from core.access import access_for
from core.errors import DomainError


def permission_required(code: str):
    """Signed-in users whose role grants ``code`` (tenant admins always do);
    others get 403, anonymous visitors go to the sign-in page."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not access_for(request.user).can(code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a refused action's messages on the form fields they name."""
    placed = False
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
