from django import template

from core.access import access_for

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, code: str) -> bool:
    """``{% can "core.user.view" as allowed %}``: whether the signed-in user may."""
    request = context.get("request")
    return bool(request is not None and access_for(request.user).can(code))
