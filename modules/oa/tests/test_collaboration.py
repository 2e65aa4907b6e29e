"""Announcements (receipts, acknowledgement), messages (departments
expanded to members), meetings (invitations reach exactly the attendees,
accept/decline, reminders fire once) and calendar events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.notifications.models import Notification, Reminder
from core.notifications.services import reminders_deliver_due
from modules.oa import services
from modules.oa.models import Announcement, AnnouncementReceipt, Event, Meeting, MeetingInvitation, MessageRecipient

from .conftest import error_of, in_schema, set_module

ANNOUNCEMENTS = "/api/v1/oa/announcements/"
MESSAGES = "/api/v1/oa/messages/"
MEETINGS = "/api/v1/oa/meetings/"
EVENTS = "/api/v1/oa/events/"


def names(users):
    return sorted(str(u) for u in users)


# ---------------------------------------------------------- announcements


def test_department_announcement_reaches_its_members_only(api_for, tenant_a, org):
    response = api_for(tenant_a, org.hr).post(ANNOUNCEMENTS, {
        "kind": "policy", "title": "Travel policy", "body": "Book economy.", "to_all": False,
        "departments": [str(org.east.pk)], "requires_ack": True}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["readers"], body["read_count"], body["acknowledged_count"]) == (3, 0, 0)
    with in_schema(tenant_a):
        announcement = Announcement.objects.get(pk=body["id"])
        readers = [r.user for r in announcement.receipts.select_related("user")]
        notified = [n.recipient for n in Notification.objects.filter(kind="oa.announcement")]
    assert names(readers) == ["Hana HR", "Ray One", "Rita Two"]
    assert names(notified) == ["Ray One", "Rita Two"]
    assert api_for(tenant_a, org.p).get(f"{ANNOUNCEMENTS}{announcement.pk}/").status_code == 404
    assert [a["title"] for a in api_for(tenant_a, org.r1).get(ANNOUNCEMENTS).json()["results"]] == ["Travel policy"]


def test_read_receipt_and_acknowledgement(api_for, web_for, tenant_a, org):
    with in_schema(tenant_a):
        announcement = services.announcement_publish(by=org.hr, title="Safety", body="Wear helmets.",
                                                     requires_ack=True)
    web_for(tenant_a, org.r1).get(f"/oa/announcements/{announcement.pk}/")
    with in_schema(tenant_a):
        receipt = AnnouncementReceipt.objects.get(announcement=announcement, user=org.r1)
        assert receipt.read_at is not None and receipt.acknowledged_at is None
    client = api_for(tenant_a, org.r1)
    acknowledged = client.post(f"{ANNOUNCEMENTS}{announcement.pk}/acknowledge/", {}, format="json")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_at"] is not None
    twice = client.post(f"{ANNOUNCEMENTS}{announcement.pk}/acknowledge/", {}, format="json")
    assert error_of(twice, 409)["code"] == "conflict"
    receipts = api_for(tenant_a, org.hr).get(f"{ANNOUNCEMENTS}{announcement.pk}/receipts/").json()
    assert sorted((r["user_name"], r["acknowledged_at"] is not None) for r in receipts if r["read_at"]) == [
        ("Ray One", True)]
    assert error_of(client.get(f"{ANNOUNCEMENTS}{announcement.pk}/receipts/"), 403)["code"] == "permission_denied"


def test_publishing_needs_the_permission_and_a_department(api_for, tenant_a, org):
    refused = api_for(tenant_a, org.r1).post(ANNOUNCEMENTS, {"title": "x", "body": "y"}, format="json")
    assert error_of(refused, 403)["code"] == "permission_denied"
    invalid = api_for(tenant_a, org.hr).post(ANNOUNCEMENTS, {"title": "x", "body": "y", "to_all": False},
                                             format="json")
    assert error_of(invalid, 400)["fields"] == {
        "departments": ["Choose at least one department, or publish to everyone."]}
    with in_schema(tenant_a):
        assert Announcement.objects.count() == 0


# --------------------------------------------------------------- messages


def test_message_to_a_department_and_a_person(api_for, tenant_a, org):
    sent = api_for(tenant_a, org.m).post(MESSAGES, {
        "subject": "Q2 targets", "body": "See attached plan.", "departments": [str(org.east.pk)],
        "users": [str(org.p.pk)]}, format="json")
    assert sent.status_code == 201, sent.content
    assert sorted(r["user_name"] for r in sent.json()["recipients"]) == ["Pat Peer", "Ray One", "Rita Two"]
    with in_schema(tenant_a):
        notified = Notification.objects.filter(kind="oa.message").select_related("recipient")
        assert names(n.recipient for n in notified) == ["Pat Peer", "Ray One", "Rita Two"]
    rep = api_for(tenant_a, org.r1)
    inbox = rep.get(MESSAGES, {"box": "inbox", "unread": "true"}).json()["results"]
    assert [(m["subject"], m["read_at"]) for m in inbox] == [("Q2 targets", None)]
    read = rep.post(f"{MESSAGES}{sent.json()['id']}/read/", {}, format="json")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert rep.get(MESSAGES, {"box": "inbox", "unread": "true"}).json()["count"] == 0
    assert rep.get(MESSAGES, {"search": "targets"}).json()["count"] == 1
    assert rep.get(MESSAGES, {"search": "nothing-like-this"}).json()["count"] == 0
    assert api_for(tenant_a, org.hr).get(f"{MESSAGES}{sent.json()['id']}/").status_code == 404


def test_message_needs_recipients(api_for, tenant_a, org):
    response = api_for(tenant_a, org.m).post(MESSAGES, {"subject": "Hi", "body": "x"}, format="json")
    assert error_of(response, 400)["fields"] == {"users": ["Choose at least one person or department."]}
    assert error_of(api_for(tenant_a, org.outsider).get(MESSAGES), 403)["code"] == "permission_denied"
    with in_schema(tenant_a):
        assert MessageRecipient.objects.count() == 0


def test_message_pages(web_for, tenant_a, org):
    client = web_for(tenant_a, org.m)
    response = client.post("/oa/messages/new/", {"users": [str(org.r1.pk)], "subject": "Lunch", "body": "12:00"})
    assert response.status_code == 302
    inbox = web_for(tenant_a, org.r1).get("/oa/messages/").content.decode()
    assert "Lunch" in inbox
    assert "Lunch" not in web_for(tenant_a, org.p).get("/oa/messages/").content.decode()


# --------------------------------------------------------------- meetings


def meeting_payload(org, **extra):
    start = timezone.now() + timedelta(days=1)
    return {"title": "Pipeline review", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "location": "Room 3",
            "departments": [str(org.east.pk)], "users": [str(org.p.pk)], "remind_minutes": 30, **extra}


def test_meeting_invitations_reach_exactly_the_attendees(api_for, tenant_a, org, make_user):
    with in_schema(tenant_a):
        from core.users.models import User

        User.objects.filter(pk=org.r2.pk).update(is_active=False)
    response = api_for(tenant_a, org.m).post(MEETINGS, meeting_payload(org), format="json")
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    assert sorted(i["user_name"] for i in response.json()["invitations"]) == ["Pat Peer", "Ray One"]
    with in_schema(tenant_a):
        invited = Notification.objects.filter(kind="oa.meeting", object_id=meeting_id).select_related("recipient")
        assert names(n.recipient for n in invited) == ["Pat Peer", "Ray One"]
        reminded = Reminder.objects.filter(object_id=meeting_id).select_related("user")
        assert names(r.user for r in reminded) == ["Mia Manager", "Pat Peer", "Ray One"]
    assert api_for(tenant_a, org.hr).get(f"{MEETINGS}{meeting_id}/").status_code == 404
    assert [m["title"] for m in api_for(tenant_a, org.r1).get(MEETINGS).json()["results"]] == ["Pipeline review"]


def test_meeting_reminders_fire_once_and_decliners_get_none(api_for, tenant_a, org):
    meeting_id = api_for(tenant_a, org.m).post(MEETINGS, meeting_payload(org), format="json").json()["id"]
    declined = api_for(tenant_a, org.p).post(f"{MEETINGS}{meeting_id}/respond/", {"response": "declined"},
                                             format="json")
    assert declined.status_code == 200
    accepted = api_for(tenant_a, org.r1).post(f"{MEETINGS}{meeting_id}/respond/", {"response": "accepted"},
                                              format="json")
    assert {i["user_name"]: i["response"] for i in accepted.json()["invitations"]} == {
        "Pat Peer": "declined", "Ray One": "accepted", "Rita Two": "pending"}
    later = timezone.now() + timedelta(days=1)
    with in_schema(tenant_a):
        assert reminders_deliver_due(now=later) == 3
        assert reminders_deliver_due(now=later) == 0
        sent = Notification.objects.filter(kind="oa.meeting_reminder").select_related("recipient")
        assert names(n.recipient for n in sent) == ["Mia Manager", "Ray One", "Rita Two"]
        assert {n.title for n in sent} == {f"Meeting “Pipeline review” starts at "
                                           f"{timezone.localtime(Meeting.objects.get().starts_at):%Y-%m-%d %H:%M}"
                                           f" (Room 3)."}


def test_meeting_refusals(api_for, tenant_a, tenant_b, admin_b, org):
    client = api_for(tenant_a, org.m)
    past = meeting_payload(org, starts_at=(timezone.now() - timedelta(hours=2)).isoformat())
    assert error_of(client.post(MEETINGS, past, format="json"), 400)["fields"] == {
        "starts_at": ["A meeting cannot start in the past."]}
    meeting_id = client.post(MEETINGS, meeting_payload(org), format="json").json()["id"]
    not_invited = api_for(tenant_a, org.m).post(f"{MEETINGS}{meeting_id}/respond/", {"response": "accepted"},
                                                format="json")
    assert error_of(not_invited, 403)["code"] == "permission_denied"
    minutes = api_for(tenant_a, org.r1).post(f"{MEETINGS}{meeting_id}/minutes/", {"minutes": "x"}, format="json")
    assert error_of(minutes, 403)["code"] == "permission_denied"
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).get(f"{MEETINGS}{meeting_id}/").status_code == 404
    assert api_for(tenant_a).get(MEETINGS).status_code == 401
    cancelled = client.post(f"{MEETINGS}{meeting_id}/cancel/", {}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"] is not None
    with in_schema(tenant_a):
        assert Reminder.objects.filter(object_id=meeting_id).count() == 0
        assert MeetingInvitation.objects.filter(meeting_id=meeting_id).count() == 3
    set_module(tenant_a, "oa", False)
    assert error_of(client.get(MEETINGS), 404)["code"] == "module_disabled"


def test_meeting_pages(web_for, tenant_a, org):
    start = timezone.localtime() + timedelta(days=2)
    response = web_for(tenant_a, org.m).post("/oa/meetings/new/", {
        "title": "Kick-off", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "users": [str(org.r1.pk)],
        "remind_minutes": 10})
    assert response.status_code == 302, response.content
    with in_schema(tenant_a):
        meeting = Meeting.objects.get(title="Kick-off")
    rep = web_for(tenant_a, org.r1)
    assert rep.post(f"/oa/meetings/{meeting.pk}/respond/", {"response": "accepted"}).status_code == 302
    with in_schema(tenant_a):
        assert MeetingInvitation.objects.get(meeting=meeting).response == "accepted"
    assert web_for(tenant_a, org.p).get(f"/oa/meetings/{meeting.pk}/").status_code == 404


# --------------------------------------------------------------- calendar


def test_event_reminder_and_calendar_views(api_for, web_for, tenant_a, org):
    start = timezone.now() + timedelta(hours=3)
    client = api_for(tenant_a, org.r1)
    created = client.post(EVENTS, {"title": "Call Acme", "starts_at": start.isoformat(),
                                   "ends_at": (start + timedelta(minutes=30)).isoformat(), "remind_minutes": 15},
                          format="json")
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    with in_schema(tenant_a):
        reminder = Reminder.objects.get(object_id=event_id)
        assert reminder.due_at == Event.objects.get(pk=event_id).starts_at - timedelta(minutes=15)
    moved = client.patch(f"{EVENTS}{event_id}/", {"remind_minutes": 60}, format="json")
    assert moved.status_code == 200
    with in_schema(tenant_a):
        assert Reminder.objects.filter(object_id=event_id).count() == 1
    assert api_for(tenant_a, org.m).get(f"{EVENTS}{event_id}/").status_code == 404
    day = timezone.localtime(start).date().isoformat()
    for view in ("day", "week", "month"):
        page = web_for(tenant_a, org.r1).get(f"/oa/calendar/?view={view}&day={day}")
        assert page.status_code == 200 and "Call Acme" in page.content.decode(), view
    assert "Call Acme" not in web_for(tenant_a, org.m).get(f"/oa/calendar/?view=month&day={day}").content.decode()
    backwards = client.post(EVENTS, {"title": "x", "starts_at": start.isoformat(),
                                     "ends_at": (start - timedelta(hours=1)).isoformat()}, format="json")
    assert error_of(backwards, 400)["fields"] == {"ends_at": ["The end cannot be before the start."]}


def test_event_other_tenant_and_module_off(api_for, tenant_a, tenant_b, admin_b, org):
    start = timezone.now() + timedelta(hours=3)
    with in_schema(tenant_a):
        event = services.event_create(by=org.r1, title="Private", starts_at=start, ends_at=start)
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).get(f"{EVENTS}{event.pk}/").status_code == 404
    assert error_of(api_for(tenant_a, org.outsider).get(EVENTS), 403)["code"] == "permission_denied"
    set_module(tenant_a, "oa", False)
    assert error_of(api_for(tenant_a, org.r1).get(EVENTS), 404)["code"] == "module_disabled"
    with in_schema(tenant_a), pytest.raises(DomainError):
        services.event_update(event=event, by=org.m, title="Mine now")


def test_event_filter_accepts_any_iso_offset(tenant_a, admin_a, api_for):
    api = api_for(tenant_a, admin_a)
    assert api.get("/api/v1/oa/events/", {"end": "0402-11-29T13:40:56.8+16:14"}).status_code == 200
    assert api.get("/api/v1/oa/events/", {"start": "2026-11-23T08:00:00-17:30"}).status_code == 200
    bad = api.get("/api/v1/oa/events/", {"start": "not-a-date"})
    assert bad.status_code == 400 and "start" in bad.json()["error"]["fields"]
