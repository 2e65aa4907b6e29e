"""notify(): in-app rows in the caller's transaction, e-mail only after commit
(from the outbox row, by a tenant-aware task), in the recipient's language,
per preferences. remind(): stored, idempotent, delivered once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from core.errors import DomainError
from core.notifications import selectors, services
from core.notifications.models import Notification, NotificationPreference, Reminder
from core.notifications.tasks import deliver_due_reminders_everywhere
from tenants.models import Tenant


def in_schema(tenant):
    return schema_context(tenant.schema_name)


@pytest.fixture
def people(tenant_a, make_user):
    return (make_user(tenant_a, full_name="Nina Notified", email="nina@alpha.test"),
            make_user(tenant_a, full_name="Otto Other", email="otto@alpha.test"))


def rows(tenant):
    with in_schema(tenant):
        return list(Notification.objects.order_by("recipient__email").values_list(
            "recipient__email", "kind", "title", "body", "link", "in_app", "email_status"))


def test_in_app_rows_now_and_emails_only_after_commit(tenant_a, people, django_capture_on_commit_callbacks):
    nina, otto = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks, in_schema(tenant_a):
        created = services.notify([nina, otto, nina], kind="reminder", title="Call the customer",
                                  body="About the quote", link="/approvals/", obj=nina)
    assert len(created) == 2 and len(callbacks) == 1
    assert rows(tenant_a) == [
        ("nina@alpha.test", "reminder", "Call the customer", "About the quote", "/approvals/", True, "pending"),
        ("otto@alpha.test", "reminder", "Call the customer", "About the quote", "/approvals/", True, "pending"),
    ]
    assert mail.outbox == []  # nothing leaves before the transaction commits
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["nina@alpha.test", "otto@alpha.test"]
    message = next(m for m in mail.outbox if m.to == ["nina@alpha.test"])
    assert message.subject == "Call the customer"
    assert "Hello Nina Notified," in message.body and "About the quote" in message.body
    assert "http://alpha.localhost:8000/approvals/" in message.body
    with in_schema(tenant_a):
        assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
        assert Notification.objects.get(recipient=nina).object_id == str(nina.pk)
        # Sending again is a no-op: the outbox row is already sent.
        assert services.notification_send_email(str(created[0].pk)) is False
    assert len(mail.outbox) == 2


def test_rendered_in_the_workspace_language_unless_the_person_chose_one(
        tenant_a, people, django_capture_on_commit_callbacks):
    nina, otto = people
    Tenant.objects.filter(pk=tenant_a.pk).update(language="zh-hans")
    with in_schema(tenant_a):
        otto.language = "en"
        otto.save()
    with django_capture_on_commit_callbacks(execute=True), in_schema(tenant_a):
        services.notify([nina, otto], kind="reminder", title=gettext_lazy("Approve"))
    assert [(r[0], r[2]) for r in rows(tenant_a)] == [("nina@alpha.test", "审批"), ("otto@alpha.test", "Approve")]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {"nina@alpha.test": "审批", "otto@alpha.test": "Approve"}


def test_preferences_choose_the_channels(tenant_a, people, django_capture_on_commit_callbacks):
    nina, otto = people
    with in_schema(tenant_a):
        services.preference_set(user=nina, kind="reminder", channel="email", enabled=False)
        services.preference_set(user=otto, kind="reminder", channel="in_app", enabled=False)
    with django_capture_on_commit_callbacks(execute=True), in_schema(tenant_a):
        services.notify([nina, otto], kind="reminder", title="Hello")
    assert [(r[0], r[5], r[6]) for r in rows(tenant_a)] == [("nina@alpha.test", True, ""),
                                                            ("otto@alpha.test", False, "sent")]
    assert [m.to for m in mail.outbox] == [["otto@alpha.test"]]
    with in_schema(tenant_a):
        assert [n.title for n in selectors.notification_list(user=otto)] == []  # e-mail only
        assert selectors.unread_count(user=nina) == 1
        services.preference_set(user=otto, kind="reminder", channel="email", enabled=False)
        assert services.notify([otto], kind="reminder", title="Nothing") == []
        assert Notification.objects.filter(title="Nothing").count() == 0


def test_refused_inputs(tenant_a, people):
    nina, _otto = people
    with in_schema(tenant_a):
        with pytest.raises(ValueError):
            services.notify([nina], kind="reminder", title="x", link="https://evil.example/")
        with pytest.raises(ValueError):
            services.notify([nina], kind="reminder", title="x", link="//evil.example/")
        with pytest.raises(LookupError):
            services.notify([nina], kind="no.such.kind", title="x")
        with pytest.raises(DomainError) as caught:
            services.preference_set(user=nina, kind="reminder", channel="pigeon", enabled=True)
        assert caught.value.fields == {"channel": ["Choose a valid channel."]}
        nina.is_active = False
        nina.save()
        assert services.notify([nina], kind="reminder", title="x") == []
        assert Notification.objects.count() == 0 and NotificationPreference.objects.count() == 0


def test_mark_read_and_mark_all_read(tenant_a, people):
    nina, otto = people
    with in_schema(tenant_a):
        first, = services.notify([nina], kind="reminder", title="One")
        services.notify([nina], kind="reminder", title="Two")
        services.notify([otto], kind="reminder", title="Otto's")
        with pytest.raises(DomainError):
            services.notification_mark_read(notification=first, by=otto)
        services.notification_mark_read(notification=first, by=nina)
        assert selectors.unread_count(user=nina) == 1
        assert services.notifications_mark_all_read(by=nina) == 1
        assert selectors.unread_count(user=nina) == 0 and selectors.unread_count(user=otto) == 1


def test_reminders_are_stored_once_and_delivered_once(tenant_a, people):
    nina, otto = people
    now = timezone.now()
    with in_schema(tenant_a):
        first = services.remind(user=nina, obj=otto, message="Follow up with Otto", at=now - timedelta(minutes=1),
                                link="/notifications/")
        again = services.remind(user=nina, obj=otto, message="Follow up with Otto", at=now - timedelta(minutes=1))
        services.remind(user=nina, obj=otto, message="Later", at=now + timedelta(hours=1))
        assert first.pk == again.pk and Reminder.objects.count() == 2
        assert services.reminders_deliver_due() == 1
        assert services.reminders_deliver_due() == 0
        assert list(Notification.objects.values_list("recipient__email", "kind", "title", "link", "object_id")) == [
            ("nina@alpha.test", "reminder", "Follow up with Otto", "/notifications/", str(otto.pk))]
        assert Reminder.objects.get(pk=first.pk).sent_at is not None
        assert services.reminders_deliver_due(now=now + timedelta(hours=2)) == 1
        assert Notification.objects.count() == 2
        with pytest.raises(ValueError):
            services.remind(user=nina, obj=otto, message="naive", at=now.replace(tzinfo=None))


def test_reminder_messages_are_translated_when_delivered(tenant_a, people):
    nina, _otto = people
    with in_schema(tenant_a):
        services.remind(user=nina, obj=nina, message=gettext_lazy("Approve"), at=timezone.now())
        assert Reminder.objects.get().message == "Approve"  # the message id, not today's language
    Tenant.objects.filter(pk=tenant_a.pk).update(language="zh-hans")
    with in_schema(tenant_a):
        assert services.reminders_deliver_due() == 1
        assert Notification.objects.get().title == "审批"


def test_cancelled_reminders_are_not_delivered(tenant_a, people):
    nina, otto = people
    with in_schema(tenant_a):
        services.remind(user=nina, obj=otto, message="A", at=timezone.now())
        services.remind(user=otto, obj=otto, message="B", at=timezone.now())
        assert services.reminder_cancel(obj=otto, user=nina) == 1
        assert services.reminders_deliver_due() == 1
        assert list(Notification.objects.values_list("recipient__email", flat=True)) == ["otto@alpha.test"]


def test_the_beat_task_delivers_in_each_workspace(tenant_a, tenant_b, people, make_user):
    nina, _otto = people
    bea = make_user(tenant_b, full_name="Bea Beta", email="bea@beta.test")
    with in_schema(tenant_a):
        services.remind(user=nina, obj=nina, message="Alpha reminder", at=timezone.now())
    with in_schema(tenant_b):
        services.remind(user=bea, obj=bea, message="Beta reminder", at=timezone.now())
    schemas = deliver_due_reminders_everywhere.apply().get()
    assert {tenant_a.schema_name, tenant_b.schema_name} <= set(schemas)
    with in_schema(tenant_a):
        assert list(Notification.objects.values_list("title", flat=True)) == ["Alpha reminder"]
    with in_schema(tenant_b):
        assert list(Notification.objects.values_list("title", flat=True)) == ["Beta reminder"]
    deliver_due_reminders_everywhere.apply().get()
    with in_schema(tenant_a):
        assert Notification.objects.count() == 1


def test_the_outbox_sweep_requeues_lost_emails_and_gives_up_after_a_day(tenant_a, people):
    nina, otto = people
    with in_schema(tenant_a):
        lost, = services.notify([nina], kind="reminder", title="Lost task")
        ancient, = services.notify([otto], kind="reminder", title="Ancient")
        fresh, = services.notify([otto], kind="reminder", title="Fresh")
        Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=30))
        Notification.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(days=2))
        assert services.emails_requeue_stale() == 1
        assert dict(Notification.objects.values_list("title", "email_status")) == {
            "Lost task": "sent", "Ancient": "failed", "Fresh": "pending"}
    assert [m.subject for m in mail.outbox] == ["Lost task"]
