"""Opportunity, follow-up, contact and reassignment rules (services), on the
data-scope setup of conftest.py (reps R1/R2 under manager M; peer P)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit.models import AuditEntry
from core.errors import DomainError
from core.notifications.models import Notification, Reminder
from core.notifications.services import reminders_deliver_due
from modules.crm import services
from modules.crm.models import Contact, Customer, FollowUp, Opportunity, OwnerChange, ReassignmentJob
from tests.factories import CustomerFactory, OpportunityFactory

from .conftest import in_schema

PIPELINE_PERMISSIONS = [f"crm.{obj}.{action}" for obj in ("opportunity", "followup", "contact")
                        for action in ("view", "add", "change", "delete", "export")]


@pytest.fixture
def crm(org, tenant_a):
    """The conftest org, with every role also holding the pipeline permissions."""
    with in_schema(tenant_a):
        for role in (org.rep_role, org.manager_role, org.head_role):
            role.permissions = role.permissions + PIPELINE_PERMISSIONS
            role.save()
        for user in (org.m, org.r1, org.r2, org.p, org.head):
            user.__dict__.pop("_weft_access", None)
    return org


def opportunities_of(tenant):
    with in_schema(tenant):
        return (sorted(Opportunity.objects.values_list("id", "project", "stage", "probability", "owner_id",
                                                       "closed_at", "lost_reason")),
                OwnerChange.objects.count(), AuditEntry.objects.filter(object_type="crm.opportunity").count())


# ------------------------------------------------------------- opportunities


def test_create_defaults_probability_from_stage_and_owner_from_caller(tenant_a, crm):
    with in_schema(tenant_a):
        opp = services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="Line 3 retrofit",
                                          stage="proposal", amount="125000.5")
        opp.refresh_from_db()
        assert (opp.owner_id, opp.department_id, opp.probability, opp.probability_overridden, opp.amount) == (
            crm.r1.pk, crm.east.pk, 50, False, Decimal("125000.50"))
        assert AuditEntry.objects.filter(object_id=str(opp.pk), action="create").count() == 1


def test_probability_follows_stage_until_overridden_and_can_be_reset(tenant_a, crm):
    with in_schema(tenant_a):
        opp = services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="P")
        assert opp.probability == 10
        opp = services.opportunity_set_stage(opportunity=opp, by=crm.r1, stage="negotiation")
        assert (opp.probability, opp.probability_overridden) == (75, False)
        opp = services.opportunity_update(opportunity=opp, by=crm.r1, probability=40)
        assert (opp.probability, opp.probability_overridden) == (40, True)
        opp = services.opportunity_set_stage(opportunity=opp, by=crm.r1, stage="proposal")
        assert opp.probability == 40  # overridden: the stage leaves it alone
        opp = services.opportunity_update(opportunity=opp, by=crm.r1, probability=None)
        assert (opp.probability, opp.probability_overridden) == (50, False)


def test_open_opportunity_locks_customer_and_project(tenant_a, crm):
    with in_schema(tenant_a):
        services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="Plant B")
    before = opportunities_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.opportunity_create(by=crm.m, customer=crm.c_r1, project="  plant b ")
    assert caught.value.code == "conflict"
    assert caught.value.message == "This customer and project are already claimed by Ray One's open opportunity."
    assert opportunities_of(tenant_a) == before
    with in_schema(tenant_a):  # another customer or another project is free
        services.opportunity_create(by=crm.r2, customer=crm.c_r2, project="Plant B")
        services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="Plant C")


def test_lock_is_a_database_constraint(tenant_a, crm):
    with in_schema(tenant_a):
        OpportunityFactory(customer=crm.c_r1, project="Dup")
        with pytest.raises(IntegrityError), transaction.atomic():
            OpportunityFactory(customer=crm.c_r1, project="DUP")
        OpportunityFactory(customer=crm.c_r1, project="dup", stage="lost")  # closed ones do not lock


def test_closing_releases_the_lock_and_reopening_takes_it_again(tenant_a, crm):
    with in_schema(tenant_a):
        first = services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="X")
        with pytest.raises(DomainError) as caught:
            services.opportunity_set_stage(opportunity=first, by=crm.r1, stage="lost")
        assert caught.value.fields == {"lost_reason": ["Say why the opportunity was lost."]}
        first = services.opportunity_set_stage(opportunity=first, by=crm.r1, stage="lost", lost_reason="Price")
        assert (first.closed_at is not None, first.probability, first.lost_reason) == (True, 0, "Price")
        second = services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="x")
        with pytest.raises(DomainError) as caught:
            services.opportunity_set_stage(opportunity=first, by=crm.r1, stage="qualified")
        assert caught.value.code == "conflict"
        first.refresh_from_db()
        assert (first.stage, first.lost_reason) == ("lost", "Price")
        won = services.opportunity_set_stage(opportunity=second, by=crm.r1, stage="won")
        assert (won.probability, won.closed_at is not None) == (100, True)


@pytest.mark.parametrize("data,field", [
    ({"project": ""}, "project"), ({"stage": "won"}, "stage"), ({"amount": "-1"}, "amount"),
    ({"amount": "1.001"}, "amount"), ({"probability": 101}, "probability"), ({"currency": "EURO"}, "currency"),
    ({"kind": "x"}, "kind"), ({"source": "x"}, "source"),
])
def test_create_validation(tenant_a, crm, data, field):
    before = opportunities_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.opportunity_create(by=crm.r1, customer=crm.c_r1, **({"project": "Ok"} | data))
    assert list(caught.value.fields) == [field]
    assert opportunities_of(tenant_a) == before


def test_rep_cannot_open_for_a_customer_outside_scope_or_for_someone_else(tenant_a, crm):
    before = opportunities_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.opportunity_create(by=crm.r1, customer=crm.c_r2, project="Steal")
        assert caught.value.fields == {"customer": ["Unknown or outside your data scope."]}
        with pytest.raises(DomainError) as caught:
            services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="Gift", owner=crm.p)
        assert caught.value.fields == {"owner": ["Outside your data scope."]}
    assert opportunities_of(tenant_a) == before


def test_opportunity_reassign_records_history(tenant_a, crm):
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1)
        services.opportunity_reassign(opportunity=opp, by=crm.m, owner=crm.r2, reason="Holiday")
        opp.refresh_from_db()
        assert (opp.owner_id, opp.department_id) == (crm.r2.pk, crm.east.pk)
        change = OwnerChange.objects.get(opportunity=opp)
        assert (change.from_owner_id, change.to_owner_id, change.by_id, change.reason, change.customer_id) == (
            crm.r1.pk, crm.r2.pk, crm.m.pk, "Holiday", crm.c_r1.pk)
        assert AuditEntry.objects.get(object_id=str(opp.pk), action="update").message == "reassigned"


# ------------------------------------------------------- customer hand-over


def test_customer_reassign_moves_its_owners_open_opportunities_only(tenant_a, crm):
    with in_schema(tenant_a):
        mine_open = OpportunityFactory(customer=crm.c_r1, project="Open")
        mine_won = OpportunityFactory(customer=crm.c_r1, project="Won", stage="won")
        colleague = OpportunityFactory(customer=crm.c_r1, project="Colleague's", owner=crm.r2)
        services.customer_reassign(customer=crm.c_r1, by=crm.m, owner=crm.m, reason="R1 leaves")
        owners = dict(Opportunity.objects.values_list("project", "owner_id"))
        assert owners == {"Open": crm.m.pk, "Won": crm.r1.pk, "Colleague's": crm.r2.pk}
        history = sorted(OwnerChange.objects.values_list("customer_id", "opportunity_id", "from_owner_id",
                                                         "to_owner_id", "reason"), key=str)
        assert history == sorted([(crm.c_r1.pk, None, crm.r1.pk, crm.m.pk, "R1 leaves"),
                                  (crm.c_r1.pk, mine_open.pk, crm.r1.pk, crm.m.pk, "R1 leaves")], key=str)
        assert mine_won.pk and colleague.pk


def test_bulk_reassignment_job_hands_over_with_progress(tenant_a, crm, django_capture_on_commit_callbacks):
    with in_schema(tenant_a):
        extra = [CustomerFactory(name=f"R1 extra {n}", owner=crm.r1) for n in range(3)]
        OpportunityFactory(customer=extra[0], project="Follows")
        with django_capture_on_commit_callbacks(execute=True):
            job = services.reassignment_start(by=crm.m, from_owner=crm.r1, to_owner=crm.r2, reason="Left")
        job.refresh_from_db()
        assert (job.status, job.total, job.done, job.failed, job.percent) == ("done", 4, 4, {}, 100)
        assert sorted(Customer.objects.filter(owner=crm.r2).values_list("name", flat=True)) == [
            "R1 Corp", "R1 extra 0", "R1 extra 1", "R1 extra 2", "R2 Corp"]
        assert Opportunity.objects.get(project="Follows").owner_id == crm.r2.pk
        assert OwnerChange.objects.filter(job=job).count() == 5
        # running it again is harmless
        ReassignmentJob.objects.filter(pk=job.pk).update(status="running", done=0)
        services.reassignment_run(str(job.pk))
        assert OwnerChange.objects.filter(job=job).count() == 5


def test_bulk_reassignment_records_rows_it_could_not_hand_over(tenant_a, crm, django_capture_on_commit_callbacks):
    with in_schema(tenant_a):
        gone = CustomerFactory(name="Gone", owner=crm.r1)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = services.reassignment_start(by=crm.m, customers=[crm.c_r1.pk, gone.pk], to_owner=crm.r2)
        Customer.objects.filter(pk=gone.pk).delete()
        crm.r2.is_active = False
        crm.r2.save()
        for callback in callbacks:
            callback()
        job.refresh_from_db()
        assert (job.status, job.done, job.failed) == ("failed", 2, {
            str(gone.pk): "The customer was deleted meanwhile.",
            str(crm.c_r1.pk): "Please correct the highlighted fields.",
        })
        assert Customer.objects.get(pk=crm.c_r1.pk).owner_id == crm.r1.pk


def test_bulk_reassignment_refuses_customers_outside_scope(tenant_a, crm):
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.reassignment_start(by=crm.m, customers=[crm.c_r1.pk, crm.c_p.pk], to_owner=crm.r2)
        assert caught.value.fields == {"customers": ["1 of the chosen customers are unknown or outside your "
                                                     "data scope."]}
        with pytest.raises(DomainError) as caught:
            services.reassignment_start(by=crm.m, from_owner=crm.p, to_owner=crm.r2)
        assert list(caught.value.fields) == ["from_owner"]
        assert ReassignmentJob.objects.count() == 0


# --------------------------------------------------------------- follow-ups


def test_follow_up_stamps_opportunity_and_reminds_owner(tenant_a, crm):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1, stale_since=timezone.now())
        follow_up = services.follow_up_create(by=crm.m, opportunity=opp, kind="visit", summary="Demo on site",
                                              next_action="Send offer", next_action_on=tomorrow)
        opp.refresh_from_db()
        assert (follow_up.customer_id, follow_up.author_id) == (crm.c_r1.pk, crm.m.pk)
        assert (opp.last_follow_up_at, opp.stale_since) == (follow_up.happened_at, None)
        reminder = Reminder.objects.get(object_id=str(follow_up.pk))
        assert (reminder.user_id, reminder.kind, reminder.due_at) == (
            crm.r1.pk, "crm.follow_up",
            timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9))))
        assert reminders_deliver_due(now=reminder.due_at) == 1
        note = Notification.objects.get(recipient=crm.r1, kind="crm.follow_up")
        assert note.title == "Follow up with R1 Corp: Send offer"
        assert note.link == f"/crm/customers/{crm.c_r1.pk}/"


def test_follow_up_reminder_moves_and_is_dropped_with_the_follow_up(tenant_a, crm):
    day = timezone.localdate() + datetime.timedelta(days=3)
    with in_schema(tenant_a):
        follow_up = services.follow_up_create(by=crm.r1, customer=crm.c_r1, summary="Call",
                                              next_action_on=day)
        services.follow_up_update(follow_up=follow_up, by=crm.r1, next_action_on=day + datetime.timedelta(days=1))
        assert list(Reminder.objects.filter(object_id=str(follow_up.pk)).values_list("due_at__date", flat=True)) == [
            day + datetime.timedelta(days=1)]
        services.follow_up_delete(follow_up=follow_up, by=crm.r1)
        assert Reminder.objects.filter(object_id=str(follow_up.pk)).count() == 0


def test_follow_up_rules(tenant_a, crm):
    with in_schema(tenant_a):
        other = OpportunityFactory(customer=crm.c_r2)
        mine = OpportunityFactory(customer=crm.c_r1)
        cases = [
            ({"customer": crm.c_r2}, {"customer": ["Unknown or outside your data scope."]}),
            ({"opportunity": other}, {"opportunity": ["Unknown or outside your data scope."]}),
            ({"customer": crm.c_m, "opportunity": mine}, {"opportunity": ["This opportunity belongs to another "
                                                                          "customer."]}),
            ({"customer": crm.c_r1, "happened_at": timezone.now() + datetime.timedelta(hours=1)},
             {"happened_at": ["A follow-up cannot be in the future; plan it as the next action."]}),
            ({"customer": crm.c_r1, "next_action_on": timezone.localdate() - datetime.timedelta(days=1)},
             {"next_action_on": ["The next action cannot be in the past."]}),
            ({"customer": crm.c_r1, "summary": " "}, {"summary": ["This field is required."]}),
        ]
        for kwargs, fields in cases:
            with pytest.raises(DomainError) as caught:
                services.follow_up_create(by=crm.r1, **({"summary": "x"} | kwargs))
            assert caught.value.fields == fields, kwargs
        assert (FollowUp.objects.count(), Reminder.objects.count()) == (0, 0)


def test_follow_up_stamp_never_moves_backwards(tenant_a, crm):
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1)
        now = timezone.now()
        services.follow_up_create(by=crm.r1, opportunity=opp, summary="new", happened_at=now)
        services.follow_up_create(by=crm.r1, opportunity=opp, summary="old",
                                  happened_at=now - datetime.timedelta(days=2))
        opp.refresh_from_db()
        assert opp.last_follow_up_at == now


# ----------------------------------------------------------------- contacts


def test_one_primary_contact_per_customer(tenant_a, crm):
    with in_schema(tenant_a):
        first = services.contact_create(by=crm.r1, customer=crm.c_r1, name="Li Lei", is_primary=True)
        second = services.contact_create(by=crm.r1, customer=crm.c_r1, name="Han Meimei", is_primary=True)
        assert dict(Contact.objects.values_list("name", "is_primary")) == {"Li Lei": False, "Han Meimei": True}
        with pytest.raises(DomainError) as caught:
            services.contact_update(contact=first, by=crm.r1, email="not-an-email")
        assert caught.value.fields == {"email": ["Enter a valid e-mail address."]}
        with pytest.raises(DomainError):
            services.contact_create(by=crm.r1, customer=crm.c_r2, name="Out of scope")
        assert Contact.objects.count() == 2 and second.is_primary
