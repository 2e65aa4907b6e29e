"""Role permissions and data scopes: the one mechanism every list, detail,
export and report uses to decide what a user may do and see.

A model opts in by declaring ``data_scope = ScopeFields(owner=..., department=...)``.
A user with several roles gets the union of their permissions and of their
scopes. Scope kinds are extensible through :func:`register_scope`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.org.models import DataScope


@dataclass(frozen=True)
class ScopeFields:
    """Which fields of a model mean "owner" (a user FK) and "department"."""

    owner: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class Access:
    permissions: frozenset[str]
    scopes: frozenset[str]
    is_admin: bool = False

    def can(self, code: str) -> bool:
        return self.is_admin or code in self.permissions


NO_ACCESS = Access(frozenset(), frozenset())

SUBORDINATE_IDS_SQL = (
    "WITH RECURSIVE chain AS ("
    " SELECT id FROM users_user WHERE manager_id = %s"
    " UNION SELECT u.id FROM users_user u JOIN chain ON u.manager_id = chain.id"
    ") SELECT id FROM chain"
)
DEPARTMENT_TREE_IDS_SQL = (
    "WITH RECURSIVE tree AS ("
    " SELECT id FROM org_department WHERE id = %s"
    " UNION SELECT d.id FROM org_department d JOIN tree ON d.parent_id = tree.id"
    ") SELECT id FROM tree"
)


def access_for(user) -> Access:
    """The user's effective access, computed once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_weft_access", None)
    if cached is not None:
        return cached
    if user.is_tenant_admin:
        access = Access(frozenset(), frozenset({DataScope.ALL}), is_admin=True)
    else:
        permissions: set[str] = set()
        scopes: set[str] = set()
        for role in user.roles.all():
            permissions.update(role.permissions)
            scopes.add(role.data_scope)
        access = Access(frozenset(permissions), frozenset(scopes))
    user._weft_access = access
    return access


def _own(user, fields: ScopeFields) -> Q | None:
    return Q(**{f"{fields.owner}_id": user.pk}) if fields.owner else None


def _subordinates(user, fields: ScopeFields) -> Q | None:
    if not fields.owner:
        return None
    return Q(**{f"{fields.owner}_id": user.pk}) | Q(
        **{f"{fields.owner}_id__in": RawSQL(SUBORDINATE_IDS_SQL, [user.pk])}
    )


def _department(user, fields: ScopeFields) -> Q | None:
    if not fields.department or user.department_id is None:
        return _own(user, fields)
    return Q(**{f"{fields.department}_id": user.department_id}) | (_own(user, fields) or Q(pk__in=[]))


def _department_tree(user, fields: ScopeFields) -> Q | None:
    if not fields.department or user.department_id is None:
        return _own(user, fields)
    return Q(**{f"{fields.department}_id__in": RawSQL(DEPARTMENT_TREE_IDS_SQL, [user.department_id])}) | (
        _own(user, fields) or Q(pk__in=[])
    )


ScopeResolver = Callable[[object, ScopeFields], "Q | None"]
_SCOPE_RESOLVERS: dict[str, ScopeResolver] = {
    DataScope.OWN: _own,
    DataScope.SUBORDINATES: _subordinates,
    DataScope.DEPARTMENT: _department,
    DataScope.DEPARTMENT_TREE: _department_tree,
}


def register_scope(kind: str, resolver: ScopeResolver) -> None:
    """Add a scope kind (e.g. a dealer portal's "own dealer")."""
    _SCOPE_RESOLVERS[kind] = resolver


def scope_filter(user, model: type[Model]) -> Q | None:
    """The Q limiting ``model`` rows to the user's scope; None means all rows."""
    access = access_for(user)
    if access.is_admin or DataScope.ALL in access.scopes:
        return None
    fields = getattr(model, "data_scope", None)
    if not isinstance(fields, ScopeFields):  # e.g. Role has a data_scope *field*
        return None
    combined = Q(pk__in=[])
    for kind in access.scopes:
        resolver = _SCOPE_RESOLVERS.get(kind)
        q = resolver(user, fields) if resolver else None
        if q is not None:
            combined |= q
    return combined


def restrict(queryset: QuerySet, user, permission: str) -> QuerySet:
    """Rows of ``queryset`` the user may act on with ``permission``."""
    if not access_for(user).can(permission):
        return queryset.none()
    q = scope_filter(user, queryset.model)
    return queryset if q is None else queryset.filter(q)


def permitted(queryset: QuerySet, user, permission: str) -> QuerySet:
    """Rows of shared reference data (no data scope): all of them with
    ``permission``, none without."""
    return queryset if access_for(user).can(permission) else queryset.none()


def assert_can_grant(actor, *, permissions=(), scope: str | None = None) -> None:
    """No escalation: a non-admin may only hand out permission codes they hold
    and scopes they hold (or "own"). Raises a permission_denied DomainError."""
    from django.utils.translation import gettext as _

    from core.errors import DomainError, ErrorCode

    access = access_for(actor)
    if access.is_admin:
        return
    missing = sorted(set(permissions) - access.permissions)
    wider = scope is not None and scope != DataScope.OWN and scope not in access.scopes and (
        DataScope.ALL not in access.scopes
    )
    if missing or wider:
        raise DomainError(
            _("You cannot grant more access than you have yourself."),
            code=ErrorCode.PERMISSION_DENIED,
            fields={"permissions": missing} if missing else {"data_scope": [scope]},
        )


def assert_admin(actor, message: str) -> None:
    from core.errors import DomainError, ErrorCode

    if not access_for(actor).is_admin:
        raise DomainError(message, code=ErrorCode.PERMISSION_DENIED)
