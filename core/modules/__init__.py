"""Module registry (NetBox-style): every business module declares itself once,
from its AppConfig.ready(); navigation, permissions, the module guard and
beat jobs are built from these declarations. Keys are fixed after start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS = ("view", "add", "change", "delete", "approve", "export")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None


@dataclass(frozen=True)
class ModuleSpec:
    key: str
    name: str
    description: str = ""
    dependencies: tuple[str, ...] = ()
    nav: tuple[NavItem, ...] = ()
    # object type -> actions it supports, e.g. {"customer": ACTIONS}
    objects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    icon: str = ""

    def permission_codes(self) -> list[str]:
        return [f"{self.key}.{obj}.{action}" for obj, actions in self.objects.items() for action in actions]


class ModuleRegistry:
    def __init__(self):
        self._modules: dict[str, ModuleSpec] = {}
        self._core_objects: dict[str, tuple[str, ...]] = {}

    def register(self, spec: ModuleSpec) -> None:
        if spec.key in self._modules:
            raise RuntimeError(f"Module {spec.key!r} registered twice.")
        self._modules[spec.key] = spec

    def register_core_objects(self, objects: dict[str, tuple[str, ...]]) -> None:
        self._core_objects.update(objects)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def __getitem__(self, key: str) -> ModuleSpec:
        return self._modules[key]

    def all(self) -> list[ModuleSpec]:
        return list(self._modules.values())

    def keys(self) -> list[str]:
        return list(self._modules)

    def dependents_of(self, key: str) -> list[ModuleSpec]:
        return [spec for spec in self._modules.values() if key in spec.dependencies]

    def all_permission_codes(self) -> list[str]:
        codes = [f"core.{obj}.{action}" for obj, actions in self._core_objects.items() for action in actions]
        for spec in self._modules.values():
            codes.extend(spec.permission_codes())
        return codes


registry = ModuleRegistry()
