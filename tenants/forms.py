"""Forms of the public site. They only shape the input: the signup rules
(subdomain format, reserved names, password strength, plan) live in
``tenants.services.tenant_signup`` and come back as DomainError fields."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from billing.models import TRIAL_PLAN_CODE, Plan

# DomainError field names the signup service uses -> fields of SignupForm.
SIGNUP_FIELDS = ("company_name", "subdomain", "admin_name", "admin_email", "admin_password", "plan")


class SignupForm(forms.Form):
    company_name = forms.CharField(
        label=_("Company name"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization", "autofocus": True}),
    )
    subdomain = forms.CharField(
        label=_("Workspace address"), max_length=40,
        help_text=_("Lowercase letters, digits and hyphens. You can share this address with your team."),
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "inputmode": "url",
            "pattern": "[a-z0-9][a-z0-9\\-]*[a-z0-9]", "minlength": "3", "maxlength": "40",
        }),
    )
    admin_name = forms.CharField(label=_("Your name"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    admin_email = forms.CharField(label=_("Work email"), max_length=254,
                                  widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    admin_password = forms.CharField(
        label=_("Password"), strip=False,
        help_text=_("At least 8 characters; not a common or all-numeric password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "minlength": "8"}),
    )
    plan = forms.ChoiceField(label=_("Plan"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = list(Plan.objects.filter(is_public=True))
        self.fields["plan"].choices = [(plan.code, _plan_label(plan)) for plan in plans]
        if not self.is_bound:
            self.fields["plan"].initial = TRIAL_PLAN_CODE

    def clean_subdomain(self):
        return self.cleaned_data["subdomain"].strip().lower()

    def add_domain_errors(self, fields: dict[str, list[str]], message: str) -> None:
        """Show the signup service's field errors on the matching fields."""
        shown = False
        for name, messages in fields.items():
            for message_text in messages:
                self.add_error(name if name in self.fields else None, message_text)
                shown = True
        if not shown:
            self.add_error(None, message)


def _plan_label(plan: Plan) -> str:
    name = gettext(plan.name)
    if plan.monthly_price_per_seat:
        return gettext("%(name)s — %(currency)s %(price)s per user per month") % {
            "name": name, "currency": plan.currency, "price": plan.monthly_price_per_seat,
        }
    return gettext("%(name)s — free for %(days)s days") % {"name": name, "days": plan.trial_days}


class WorkspaceLoginForm(forms.Form):
    workspace = forms.CharField(
        label=_("Workspace"), max_length=253,
        widget=forms.TextInput(attrs={
            "autocomplete": "organization", "autocapitalize": "none", "spellcheck": "false", "autofocus": True,
        }),
    )

    def clean_workspace(self) -> str:
        return workspace_subdomain(self.cleaned_data["workspace"])


def workspace_subdomain(value: str) -> str:
    """What a visitor typed ("acme", "acme.weft.example", "https://acme.weft.example/x")
    reduced to the subdomain ("acme")."""
    text = value.strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    suffix = f".{settings.ROOT_DOMAIN}".lower()
    if text.endswith(suffix):
        text = text[: -len(suffix)]
    return text


def _django_catalog_gaps():  # pragma: no cover - never called; read by makemessages
    """Messages Django shows on our signup page that Django's own zh-hans
    catalog lacks (Django 5.2 changed this msgid to ``%d``). Listing them here
    lets ``makemessages`` collect them into our catalog, which overrides Django's."""
    return [
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            8,
        ),
    ]
