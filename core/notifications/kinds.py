"""Kinds of notification (NetBox-style registry filled from AppConfig.ready()):
each kind has a label for the preferences page and default channels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    description: str = ""
    in_app_default: bool = True
    email_default: bool = True


class KindRegistry:
    def __init__(self):
        self._kinds: dict[str, NotificationKind] = {}

    def register(self, kind: NotificationKind) -> None:
        if kind.key in self._kinds:
            raise RuntimeError(f"Notification kind {kind.key!r} registered twice.")
        self._kinds[kind.key] = kind

    def __contains__(self, key: str) -> bool:
        return key in self._kinds

    def get(self, key: str) -> NotificationKind:
        try:
            return self._kinds[key]
        except KeyError:
            raise LookupError(f"Unknown notification kind {key!r}; register it in an AppConfig.ready().") from None

    def all(self) -> list[NotificationKind]:
        return list(self._kinds.values())


kinds = KindRegistry()
