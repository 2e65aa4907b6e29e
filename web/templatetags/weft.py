"""Shared template tags: ``{% load weft %}``.

- ``{% url_or_none "name" ["fallback-name" ...] [arg ...] as var %}``: the first
  URL name that reverses, else None, so a link to a page that is not installed
  yet (or not on this host) is left out instead of breaking the page.
- ``{{ field|control }}``: a form field's widget with Bootstrap classes,
  ``is-invalid`` and ``aria-describedby`` for its help and errors.
- ``{{ amount|money:currency }}``: an amount with its currency.
- ``{{ text|markdown }}``: Markdown (CommonMark, tables, strikethrough) as
  HTML; raw HTML in the text is escaped, never run, and markdown-it's link
  validation drops javascript:, vbscript:, file: and non-image data: links.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms, template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

register = template.Library()

MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "HKD": "HK$"}


def url_or_none(*names: str, args=(), kwargs=None) -> str | None:
    """The URL of the first name that reverses, or None."""
    for name in names:
        try:
            return reverse(name, args=args, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


@register.simple_tag(name="url_or_none")
def url_or_none_tag(*names, **kwargs):
    """Names are strings; any argument after the first that is not a URL name
    candidate should be passed as ``arg=value`` keyword (URL kwargs)."""
    return url_or_none(*names, kwargs=kwargs or None)


def _widget_class(widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


@register.filter
def control(field):
    """Render a bound field's widget with Bootstrap classes and ARIA links."""
    widget = field.field.widget
    attrs = {}
    classes = [widget.attrs.get("class", ""), _widget_class(widget)]
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
    attrs["class"] = " ".join(c for c in classes if c).strip()
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def money(amount, currency: str = "") -> str:
    """``12.00|money:"USD"`` -> "$12" ; ``12.5|money:"USD"`` -> "$12.50"."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    places = 0 if value == value.to_integral_value() else 2
    text = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get((currency or "").upper())
    if symbol:
        return f"{symbol}{text}"
    return f"{currency} {text}".strip()


@register.filter
def is_current(url: str | None, path: str) -> bool:
    """True when ``path`` is ``url`` or a page below it (not for "/")."""
    if not url or not path:
        return False
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url.rstrip("/") + "/")


# Administration pages: (label, candidate URL names, permission code or None
# for "tenant admins only"). Pages that are not installed are left out.
ADMIN_PAGES = (
    (_("Users"), ("users:user-list",), "core.user.view"),
    (_("Departments"), ("org:department-list",), "core.department.view"),
    (_("Roles"), ("org:role-list",), "core.role.view"),
    (_("Products"), ("catalog:product-list",), "core.product.view"),
    (_("Product categories"), ("catalog:category-tree",), "core.category.view"),
    (_("Approval flows"), ("approvals:flow-list",), None),
    (_("Audit log"), ("audit:entry-list",), "core.audit.view"),
    (_("Modules"), ("settings-modules",), None),
    (_("Workspace settings"), ("settings-workspace",), None),
    (_("Export data"), ("settings-export",), None),
    (_("Subscription"), ("billing:subscription",), None),
)


def admin_pages_for(access) -> list[dict]:
    """The administration pages this user may open, in menu order."""
    if access is None:
        return []
    pages = []
    for label, names, permission in ADMIN_PAGES:
        allowed = access.is_admin if permission is None else access.can(permission)
        if not allowed:
            continue
        url = url_or_none(*names)
        if url is not None:
            pages.append({"label": label, "url": url})
    return pages


@register.simple_tag(takes_context=True)
def admin_pages(context) -> list[dict]:
    """``{% admin_pages as pages %}`` in a tenant page (empty for the public site)."""
    request = context.get("request")
    user = context.get("user")
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public" or user is None or not user.is_authenticated:
        return []
    from core.access import access_for

    return admin_pages_for(context.get("access") or access_for(user))


@register.simple_tag
def root_url(path: str = "/") -> str:
    """An absolute link to the public site (root domain), e.g. ``{% root_url "/login/" %}``."""
    from django.conf import settings

    port = settings.PUBLIC_PORT
    default_port = {"http": 80, "https": 443}.get(settings.PUBLIC_SCHEME)
    suffix = "" if port == default_port else f":{port}"
    return f"{settings.PUBLIC_SCHEME}://{settings.ROOT_DOMAIN}{suffix}{path}"


@register.simple_tag
def active_url(path: str, *groups) -> str | None:
    """The most specific of the menu URLs in ``groups`` that ``path`` is on
    (so /settings/roles/ marks "Roles", not also "Workspace settings" at /settings/).
    A group is a list of dicts with "url", or of modules with "items"."""
    urls = []
    for group in groups:
        for entry in group or ():
            if isinstance(entry, dict) and "items" in entry:
                urls.extend(item["url"] for item in entry["items"])
            elif isinstance(entry, dict):
                urls.append(entry.get("url"))
            else:
                urls.append(entry)
    matches = [url for url in urls if is_current(url, path)]
    return max(matches, key=len) if matches else None


@register.filter
def markdown(text: str) -> str:
    return mark_safe(MARKDOWN.render(text or ""))  # noqa: S308 - html disabled: the output has no raw HTML
