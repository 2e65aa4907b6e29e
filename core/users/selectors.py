from django.db.models import QuerySet

from core.access import restrict

from .models import User


def user_list(*, user) -> QuerySet[User]:
    """Users the caller may view, with what lists show prefetched."""
    return restrict(
        User.objects.select_related("department", "manager").prefetch_related("roles"), user, "core.user.view"
    )
