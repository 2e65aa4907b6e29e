"""The unread count for the bell in the header, counted only when a page
shows it (one COUNT query per page, however often the template reads it)."""


class UnreadCount:
    """A callable the template engine calls on use; the count is cached."""

    def __init__(self, user):
        self.user = user
        self._value = None

    def __call__(self) -> int:
        if self._value is None:
            from .selectors import unread_count

            self._value = unread_count(user=self.user)
        return self._value


def notifications(request):
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or tenant.schema_name == "public" or user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": UnreadCount(user)}
