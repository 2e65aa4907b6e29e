"""Concurrent decisions on real, committed rows and parallel connections:
two approvals of the same step cannot both succeed, and a reminder is
delivered once however many beat runs race for it. The tests commit for real
and delete what they created afterwards."""

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from core.approvals import services
from core.approvals.models import (
    ApprovalRequest, ApprovalSettings, AssigneeType, Decision, Delegation, FlowDefinition, StepKind,
)
from core.approvals.registry import document_types
from core.audit.models import AuditEntry
from core.catalog.models import Product
from core.errors import DomainError
from core.notifications.models import Notification, Reminder
from core.notifications.services import reminders_deliver_due, remind
from core.org.models import Role
from core.users.models import User
from tenants.models import Tenant

from .conftest import DOC, TEST_DOCUMENT_TYPE

# django_db makes pytest-django set up the test database even when these tests
# run alone (without it, the connections would point at the development
# database). Every statement below runs on fresh thread connections that
# commit; the test's own connection only holds its (empty) transaction.
pytestmark = [pytest.mark.concurrency, pytest.mark.django_db]


def in_thread(function):
    """Run ``function`` on a new connection (autocommit) and return its result."""
    result: dict = {}

    def run():
        try:
            assert connection.settings_dict["NAME"] == settings.TEST_DATABASE, "not the test database"
            result["value"] = function()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def committed():
    """A committed set-up in tenant "alpha": approvers, a product, a flow with
    a single-approver step then an any-of step, and a pending request."""
    tag = uuid.uuid4().hex[:8]

    def set_up():
        tenant = Tenant.objects.get(subdomain="alpha")
        with schema_context(tenant.schema_name):
            admin = User.objects.get(email="admin@alpha.test")
            role = Role.objects.create(name=f"Finance {tag}")
            boss = User.objects.create_user(f"boss-{tag}@alpha.test", "x-Pass-2026", full_name="Boss")
            rep = User.objects.create_user(f"rep-{tag}@alpha.test", "x-Pass-2026", full_name="Rep", manager=boss)
            ada = User.objects.create_user(f"ada-{tag}@alpha.test", "x-Pass-2026", full_name="Ada")
            ben = User.objects.create_user(f"ben-{tag}@alpha.test", "x-Pass-2026", full_name="Ben")
            ada.roles.add(role)
            ben.roles.add(role)
            product = Product.objects.create(sku=f"RACE-{tag}", name="Race", list_price=Decimal("10.00"))
            services.flow_create(by=admin, document_type=DOC, name=f"Race {tag}", steps=[
                {"name": "Boss", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.MANAGER, "manager_level": 1},
                {"name": "Finance", "kind": StepKind.ANY_OF, "assignee_type": AssigneeType.ROLE, "role": role},
            ])
            request = services.approval_submit(document=product, document_type=DOC, by=rep)
        return tenant, request, {"boss": boss, "rep": rep, "ada": ada, "ben": ben}

    def clean_up():
        tenant = Tenant.objects.get(subdomain="alpha")
        with schema_context(tenant.schema_name):
            # Only what this test committed: other modules (OA) seed their own flows in every workspace.
            mine = User.objects.filter(email__endswith=f"-{tag}@alpha.test")
            ApprovalRequest.objects.filter(document_type=DOC).delete()
            for flow in FlowDefinition.objects.filter(document_type=DOC):
                flow.current_version = None
                flow.save(update_fields=["current_version"])
                flow.delete()
            Notification.objects.filter(recipient__in=mine).delete()
            Reminder.objects.filter(user__in=mine).delete()
            Delegation.objects.filter(from_user__in=mine).delete()
            ApprovalSettings.objects.all().delete()
            AuditEntry.objects.filter(at__gte=started - timedelta(minutes=1)).delete()
            Product.objects.filter(sku=f"RACE-{tag}").delete()
            User.objects.filter(email__endswith=f"-{tag}@alpha.test").delete()
            Role.objects.filter(name=f"Finance {tag}").delete()

    started = timezone.now()
    document_types.register(TEST_DOCUMENT_TYPE)
    try:
        yield in_thread(set_up)
    finally:
        try:
            in_thread(clean_up)
        finally:
            document_types.unregister(DOC)


def race(tenant, callables) -> list[str]:
    """Run the callables at the same moment on their own connections."""
    outcomes: list[str] = []
    barrier = threading.Barrier(len(callables))

    def run(function):
        try:
            with schema_context(tenant.schema_name):
                barrier.wait()
                function()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the assertion
            outcomes.append(f"crash: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in callables]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def approve_as(user, request):
    return lambda: services.approval_approve(request=ApprovalRequest.objects.get(pk=request.pk),
                                             by=User.objects.get(pk=user.pk))


def test_two_approvals_of_one_single_step_at_once(committed):
    tenant, request, people = committed
    # The same approver twice at once (a double click, two devices).
    assert race(tenant, [approve_as(people["boss"], request)] * 2) == ["conflict", "ok"]

    def after_first():
        with schema_context(tenant.schema_name):
            fresh = ApprovalRequest.objects.get(pk=request.pk)
            return (list(Decision.objects.filter(request=fresh).order_by("seq").values_list("action", flat=True)),
                    fresh.current_step.name)

    assert in_thread(after_first) == (["submit", "approve"], "Finance")
    # Two any-of approvers at once: the first decides, the second is refused.
    assert race(tenant, [approve_as(people["ada"], request), approve_as(people["ben"], request)]) == [
        "conflict", "ok"]

    def after_second():
        with schema_context(tenant.schema_name):
            fresh = ApprovalRequest.objects.get(pk=request.pk)
            return (fresh.state, Decision.objects.filter(request=fresh, action="approve").count(),
                    sorted(fresh.steps.get(name="Finance").assignments.values_list("state", flat=True)))

    assert in_thread(after_second) == ("approved", 2, ["approved", "not_needed"])


def test_a_reminder_is_delivered_once_by_concurrent_beat_runs(committed):
    tenant, request, people = committed

    def plant():
        with schema_context(tenant.schema_name):
            Reminder.objects.filter(user=people["ada"]).delete()
            remind(user=people["ada"], obj=request, message="Race reminder", at=timezone.now() - timedelta(seconds=1))

    in_thread(plant)
    sent: list[int] = []
    assert race(tenant, [lambda: sent.append(reminders_deliver_due()) for _ in range(4)]) == ["ok"] * 4
    assert sorted(sent) == [0, 0, 0, 1]

    def delivered():
        with schema_context(tenant.schema_name):
            return (Notification.objects.filter(title="Race reminder").count(),
                    Reminder.objects.get(message="Race reminder").sent_at is not None)

    assert in_thread(delivered) == (1, True)
