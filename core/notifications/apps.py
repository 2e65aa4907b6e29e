from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "core.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from .kinds import NotificationKind, kinds

        kinds.register(NotificationKind(
            "reminder", _("Reminders"), _("Reminders you or your colleagues set (schedules, follow-ups)."),
        ))
        # core/celery.py autodiscovers a fixed list of packages: register our tasks with the worker here.
        from . import tasks  # noqa: F401
