"""Notification pages and the bell: your own inbox, mark read / open / all,
preferences; nobody opens someone else's notification."""

import re

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django_tenants.utils import schema_context

from core.notifications import services
from core.notifications.models import Notification, NotificationPreference


def in_schema(tenant):
    return schema_context(tenant.schema_name)


@pytest.fixture
def setup(tenant_a, make_user):
    nina = make_user(tenant_a, full_name="Nina", email="nina@alpha.test")
    otto = make_user(tenant_a, full_name="Otto", email="otto@alpha.test")
    with in_schema(tenant_a):
        first, = services.notify([nina], kind="reminder", title="Call Acme", body="About the quote",
                                 link="/approvals/")
        second, = services.notify([nina], kind="reminder", title="Second one")
        theirs, = services.notify([otto], kind="reminder", title="Otto's secret")
    return nina, otto, first, second, theirs


def bell(html: str) -> str:
    return re.search(r'<a[^>]*data-testid="notification-bell".*?</a>', html, re.S).group(0)


def test_the_bell_shows_the_unread_count_on_every_page(web_for, tenant_a, setup):
    nina, otto, *_rest = setup
    home = web_for(tenant_a, nina).get("/").content.decode()
    assert 'href="/notifications/"' in bell(home)
    assert re.search(r'data-testid="unread-count">2<', bell(home))
    assert 'aria-label="Notifications: 2 unread"' in bell(home)
    with in_schema(tenant_a):
        services.notifications_mark_all_read(by=otto)
    quiet = bell(web_for(tenant_a, otto).get("/").content.decode())
    assert "unread-count" not in quiet and 'aria-label="Notifications"' in quiet


def test_the_count_costs_one_query(web_for, tenant_a, setup):
    nina, *_rest = setup
    client = web_for(tenant_a, nina)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    counts = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1


def test_inbox_lists_only_my_notifications(web_for, tenant_a, setup):
    nina, *_rest = setup
    response = web_for(tenant_a, nina).get("/notifications/")
    assert response.status_code == 200
    assert [n.title for n in response.context["page_obj"]] == ["Second one", "Call Acme"]
    assert "Otto&#x27;s secret" not in response.content.decode() and "Otto's secret" not in response.content.decode()
    assert [n.title for n in web_for(tenant_a, nina).get("/notifications/?unread=1").context["page_obj"]] == [
        "Second one", "Call Acme"]


def test_mark_read_open_and_all(web_for, tenant_a, setup):
    nina, _otto, first, second, theirs = setup
    client = web_for(tenant_a, nina)
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert (response.status_code, response["Location"]) == (302, "/approvals/")
    response = client.post(f"/notifications/{second.pk}/read/")
    assert response["Location"] == "/notifications/"
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{second.pk}/read/").status_code == 405
    with in_schema(tenant_a):
        assert {n.title: n.read_at is None for n in Notification.objects.all()} == {
            "Call Acme": False, "Second one": False, "Otto's secret": True}
        services.notify([nina], kind="reminder", title="Third")
    assert client.post("/notifications/read-all/").status_code == 302
    with in_schema(tenant_a):
        assert Notification.objects.filter(read_at__isnull=True).count() == 1  # Otto's


def test_preferences_page(web_for, tenant_a, setup):
    nina, *_rest = setup
    client = web_for(tenant_a, nina)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    from core.notifications.kinds import kinds

    shown = [row["kind"] for row in page.context["form"].rows]
    assert sorted(shown) == sorted(kind.key for kind in kinds.all())
    assert shown[:5] == ["approval.pending", "approval.urge", "approval.reminder", "approval.result", "reminder"]
    data = {f"{kind.replace('.', '__')}--{channel}": "on" for kind in shown for channel in ("in_app", "email")}
    del data["approval__urge--email"]
    assert client.post("/notifications/preferences/", data).status_code == 302
    with in_schema(tenant_a):
        assert list(NotificationPreference.objects.filter(enabled=False).values_list("kind", "channel")) == [
            ("approval.urge", "email")]
        assert NotificationPreference.objects.filter(user=nina).count() == 2 * len(kinds.all())
    rows = {row["kind"]: row for row in client.get("/notifications/preferences/").context["form"].rows}
    assert (rows["approval.urge"]["email"], rows["approval.urge"]["in_app"], rows["reminder"]["email"]) == (
        False, True, True)


def test_anonymous_visitors_sign_in_first(web_for, tenant_a, setup):
    _nina, _otto, first, *_rest = setup
    anonymous = web_for(tenant_a)
    for url in ("/notifications/", "/notifications/preferences/"):
        assert "/accounts/login/" in anonymous.get(url)["Location"]
    assert anonymous.post(f"/notifications/{first.pk}/read/").status_code == 302
    with in_schema(tenant_a):
        assert Notification.objects.get(pk=first.pk).read_at is None
