"""Editing and rescheduling meetings (new attendees invited, removed ones
told, the others updated, reminders moved) and editing calendar events
(their reminder moves with them)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.audit.models import AuditEntry
from core.notifications.models import Notification, Reminder
from modules.oa import services
from modules.oa.models import Meeting, MeetingInvitation

from .conftest import error_of, in_schema, set_module

MEETINGS = "/api/v1/oa/meetings/"


def names(users):
    return sorted(str(u) for u in users)


def notified(tenant, meeting, title_start):
    with in_schema(tenant):
        rows = Notification.objects.filter(kind="oa.meeting", object_id=str(meeting.pk), title__startswith=title_start)
        return names(n.recipient for n in rows.select_related("recipient"))


def reminders(tenant, meeting):
    with in_schema(tenant):
        return sorted((str(r.user), r.due_at) for r in Reminder.objects.filter(object_id=str(meeting.pk))
                      .select_related("user"))


@pytest.fixture
def meeting(tenant_a, org):
    start = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    with in_schema(tenant_a):
        meeting = services.meeting_create(by=org.m, title="Pipeline review", starts_at=start,
                                          ends_at=start + timedelta(hours=1), location="Room 3",
                                          users=[org.r1, org.p], remind_minutes=30)
        services.meeting_respond(meeting=meeting, by=org.r1, response="accepted")
        return meeting


def test_rescheduling_and_changing_attendees_tells_each_the_right_thing(api_for, tenant_a, org, meeting):
    new_start = meeting.starts_at + timedelta(days=2)
    response = api_for(tenant_a, org.m).patch(f"{MEETINGS}{meeting.pk}/", {
        "starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=2)).isoformat(),
        "location": "Room 5", "users": [str(org.r1.pk), str(org.r2.pk)]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {i["user_name"]: i["response"] for i in body["invitations"]} == {"Ray One": "accepted",
                                                                            "Rita Two": "pending"}
    assert (body["location"], body["remind_minutes"]) == ("Room 5", 30)
    assert notified(tenant_a, meeting, "Meeting invitation") == ["Pat Peer", "Ray One", "Rita Two"]  # + creation
    assert notified(tenant_a, meeting, "Meeting cancelled for you") == ["Pat Peer"]
    assert notified(tenant_a, meeting, "Meeting updated") == ["Ray One"]
    due = new_start - timedelta(minutes=30)
    assert reminders(tenant_a, meeting) == [("Mia Manager", due), ("Ray One", due), ("Rita Two", due)]
    with in_schema(tenant_a):
        entry = AuditEntry.objects.filter(object_id=str(meeting.pk), action="update").get()
        assert set(entry.changes) == {"starts_at", "ends_at", "location"}
        assert entry.message == "attendees: 1 invited, 1 removed"
        update = Notification.objects.get(title__startswith="Meeting updated")
        assert update.body == f"“Pipeline review” is now on {timezone.localtime(new_start):%Y-%m-%d %H:%M} at Room 5."


def test_a_decliner_gets_no_new_reminder_and_nothing_changes_without_changes(api_for, tenant_a, org, meeting):
    with in_schema(tenant_a):
        services.meeting_respond(meeting=meeting, by=org.p, response="declined")
    client = api_for(tenant_a, org.m)
    assert client.patch(f"{MEETINGS}{meeting.pk}/", {"remind_minutes": 60}, format="json").status_code == 200
    due = meeting.starts_at - timedelta(minutes=60)
    assert reminders(tenant_a, meeting) == [("Mia Manager", due), ("Ray One", due)]
    assert notified(tenant_a, meeting, "Meeting updated") == []  # the reminder time is the organiser's business
    with in_schema(tenant_a):
        count = Notification.objects.count()
    assert client.patch(f"{MEETINGS}{meeting.pk}/", {"title": "Pipeline review"}, format="json").status_code == 200
    with in_schema(tenant_a):
        assert Notification.objects.count() == count


def test_meeting_edit_refusals(api_for, tenant_a, tenant_b, admin_b, org, meeting):
    def state():
        with in_schema(tenant_a):
            row = Meeting.objects.get(pk=meeting.pk)
            return (row.title, row.starts_at, sorted(MeetingInvitation.objects.filter(meeting=row)
                                                     .values_list("user_id", "response")))

    before = state()
    attendee = api_for(tenant_a, org.r1)  # holds oa.meeting.change, but is not the organiser
    assert error_of(attendee.patch(f"{MEETINGS}{meeting.pk}/", {"title": "Mine"}, format="json"), 403)["code"] == (
        "permission_denied")
    organiser = api_for(tenant_a, org.m)
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    assert error_of(organiser.patch(f"{MEETINGS}{meeting.pk}/", {"starts_at": past}, format="json"), 400)[
        "fields"] == {"starts_at": ["A meeting cannot start in the past."]}
    assert error_of(organiser.patch(f"{MEETINGS}{meeting.pk}/", {"users": []}, format="json"), 400)["fields"] == {
        "users": ["Invite at least one person or department."]}
    assert api_for(tenant_a, org.hr).patch(f"{MEETINGS}{meeting.pk}/", {"title": "x"}, format="json"
                                           ).status_code == 404
    assert error_of(api_for(tenant_a, org.outsider).patch(f"{MEETINGS}{meeting.pk}/", {"title": "x"},
                                                          format="json"), 403)["code"] == "permission_denied"
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).patch(f"{MEETINGS}{meeting.pk}/", {"title": "x"}, format="json"
                                            ).status_code == 404
    assert state() == before
    organiser.post(f"{MEETINGS}{meeting.pk}/cancel/", {}, format="json")
    assert error_of(organiser.patch(f"{MEETINGS}{meeting.pk}/", {"title": "Again"}, format="json"), 409)["code"] == (
        "conflict")
    set_module(tenant_a, "oa", False)
    assert error_of(organiser.patch(f"{MEETINGS}{meeting.pk}/", {"title": "x"}, format="json"), 404)["code"] == (
        "module_disabled")


def test_meeting_edit_page(web_for, tenant_a, org, meeting):
    client = web_for(tenant_a, org.m)
    form = client.get(f"/oa/meetings/{meeting.pk}/edit/")
    assert form.status_code == 200 and 'value="Pipeline review"' in form.content.decode()
    start = timezone.localtime(meeting.starts_at) + timedelta(hours=3)
    saved = client.post(f"/oa/meetings/{meeting.pk}/edit/", {
        "title": "Pipeline review", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "location": "Room 3",
        "users": [str(org.r1.pk), str(org.p.pk)], "departments": [str(org.east.pk)], "remind_minutes": 30})
    assert saved.status_code == 302, saved.content
    with in_schema(tenant_a):
        assert names(i.user for i in MeetingInvitation.objects.filter(meeting=meeting)) == [
            "Pat Peer", "Ray One", "Rita Two"]
    assert notified(tenant_a, meeting, "Meeting updated") == ["Pat Peer", "Ray One"]
    assert "Edit or reschedule" in client.get(f"/oa/meetings/{meeting.pk}/").content.decode()
    assert "Edit or reschedule" not in web_for(tenant_a, org.r1).get(f"/oa/meetings/{meeting.pk}/").content.decode()


# --------------------------------------------------------------- calendar


def test_event_edit_page_moves_the_reminder(web_for, tenant_a, org):
    start = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    with in_schema(tenant_a):
        event = services.event_create(by=org.r1, title="Call Acme", starts_at=start,
                                      ends_at=start + timedelta(minutes=30), remind_minutes=15)
    client = web_for(tenant_a, org.r1)
    assert client.get(f"/oa/calendar/{event.pk}/").content.decode().count(f"/oa/calendar/{event.pk}/edit/") == 1
    later = timezone.localtime(start) + timedelta(hours=2)
    saved = client.post(f"/oa/calendar/{event.pk}/edit/", {
        "title": "Call Acme", "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (later + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"), "remind_minutes": 10})
    assert saved.status_code == 302, saved.content
    with in_schema(tenant_a):
        [reminder] = Reminder.objects.filter(object_id=str(event.pk))
    assert reminder.due_at == later - timedelta(minutes=10)
    backwards = client.post(f"/oa/calendar/{event.pk}/edit/", {
        "title": "Call Acme", "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (later - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
    assert backwards.status_code == 400 and "The end cannot be before the start." in backwards.content.decode()
    assert web_for(tenant_a, org.m).get(f"/oa/calendar/{event.pk}/edit/").status_code == 404
