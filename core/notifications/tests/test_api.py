"""/api/v1/notifications/: your own inbox (list, detail, read, read-all,
unread count) and preferences; others' notifications answer 404."""

import uuid

import pytest
from django_tenants.utils import schema_context

from core.notifications import services
from core.notifications.models import Notification, NotificationPreference

INBOX = "/api/v1/notifications/"
PREFERENCES = "/api/v1/notifications/preferences/"


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def error_of(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def inbox_state(tenant):
    with in_schema(tenant):
        return (sorted(Notification.objects.values_list("id", "read_at")),
                sorted(NotificationPreference.objects.values_list("user_id", "kind", "channel", "enabled")))


@pytest.fixture
def setup(tenant_a, make_user):
    nina = make_user(tenant_a, full_name="Nina", email="nina@alpha.test")
    otto = make_user(tenant_a, full_name="Otto", email="otto@alpha.test")
    with in_schema(tenant_a):
        first, = services.notify([nina], kind="reminder", title="First", link="/approvals/")
        second, = services.notify([nina], kind="approval.pending", title="Second")
        theirs, = services.notify([otto], kind="reminder", title="Otto's")
    return nina, otto, first, second, theirs


def test_inbox_read_and_count(api_for, tenant_a, setup):
    nina, _otto, first, second, theirs = setup
    api = api_for(tenant_a, nina)
    listed = api.get(INBOX).json()
    assert listed["count"] == 2
    assert [(n["title"], n["kind"], n["is_read"], n["link"]) for n in listed["results"]] == [
        ("Second", "approval.pending", False, ""), ("First", "reminder", False, "/approvals/")]
    assert api.get(f"{INBOX}?kind=reminder").json()["count"] == 1
    assert api.get(f"{INBOX}unread-count/").json() == {"unread": 2}
    read = api.post(f"{INBOX}{first.pk}/read/", {}, format="json")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert [n["title"] for n in api.get(f"{INBOX}?unread=true").json()["results"]] == ["Second"]
    assert [n["title"] for n in api.get(f"{INBOX}?unread=false").json()["results"]] == ["First"]
    assert api.get(f"{INBOX}{second.pk}/").json()["title"] == "Second"
    assert api.post(f"{INBOX}read-all/", {}, format="json").json() == {"marked": 1}
    assert api.get(f"{INBOX}unread-count/").json() == {"unread": 0}
    with in_schema(tenant_a):
        assert Notification.objects.get(pk=theirs.pk).read_at is None  # Otto's untouched


def test_nobody_reads_another_persons_notifications(api_for, tenant_a, tenant_b, admin_a, admin_b, setup):
    nina, _otto, first, _second, theirs = setup
    before = inbox_state(tenant_a)
    api = api_for(tenant_a, nina)
    error_of(api.get(f"{INBOX}{theirs.pk}/"), 404, "not_found")
    error_of(api.post(f"{INBOX}{theirs.pk}/read/", {}, format="json"), 404)
    # Not even a workspace administrator.
    error_of(api_for(tenant_a, admin_a).get(f"{INBOX}{first.pk}/"), 404)
    assert api_for(tenant_a, admin_a).get(INBOX).json()["count"] == 0
    other = api_for(tenant_b, admin_b)
    error_of(other.get(f"{INBOX}{first.pk}/"), 404)
    error_of(other.post(f"{INBOX}{first.pk}/read/", {}, format="json"), 404)
    assert other.get(INBOX).json()["count"] == 0
    anonymous = api_for(tenant_a)
    for response in (anonymous.get(INBOX), anonymous.get(f"{INBOX}unread-count/"),
                     anonymous.post(f"{INBOX}read-all/", {}, format="json"), anonymous.get(PREFERENCES),
                     anonymous.patch(f"{PREFERENCES}reminder/", {"email": False}, format="json")):
        error_of(response, 401, "not_authenticated")
    error_of(api.get(f"{INBOX}{uuid.uuid4()}/"), 404)
    assert inbox_state(tenant_a) == before


def test_preferences(api_for, tenant_a, setup):
    nina, otto, *_rest = setup
    api = api_for(tenant_a, nina)
    listed = api.get(PREFERENCES).json()
    rows = {row["kind"]: (row["in_app"], row["email"]) for row in listed["results"]}
    from core.notifications.kinds import kinds

    assert listed["count"] == len(kinds.all())
    assert rows == {kind.key: (kind.in_app_default, kind.email_default) for kind in kinds.all()}
    assert {"reminder", "approval.pending", "approval.urge", "approval.reminder", "approval.result"} <= set(rows)
    changed = api.patch(f"{PREFERENCES}approval.result/", {"email": False}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["kind"], changed.json()["in_app"], changed.json()["email"]) == (
        "approval.result", True, False)
    before = inbox_state(tenant_a)
    error_of(api.patch(f"{PREFERENCES}approval.result/", {"email": "sometimes"}, format="json"), 400)
    error_of(api.patch(f"{PREFERENCES}no.such.kind/", {"email": False}, format="json"), 404)
    assert inbox_state(tenant_a) == before
    with in_schema(tenant_a):
        assert list(NotificationPreference.objects.values_list("user_id", "kind", "channel", "enabled")) == [
            (nina.pk, "approval.result", "email", False)]
    others = {row["kind"]: row["email"] for row in api_for(tenant_a, otto).get(PREFERENCES).json()["results"]}
    assert others["approval.result"] is True
