"""Bulk reassignment (客户分配): hand many customers, with the open
opportunities their owner held on them, to another owner in one action.

:func:`reassignment_start` checks everything it can up front (the new owner is
active; every customer is one the caller may change) and stores a job; a
Celery task (:func:`reassignment_run`) then hands the customers over one by
one, each in its own transaction through :func:`customer_reassign` (the one
place the reassignment rules live), updating the job's progress. The run is
idempotent: it resumes after the last finished customer and a customer
already with the new owner is left as it is."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.access import restrict
from core.errors import DomainError

from ..models import Customer, ReassignmentJob
from .customers import UNSET, customer_reassign

MAX_CUSTOMERS = 10000


@transaction.atomic
def reassignment_start(*, by, to_owner, customers=None, from_owner=None, to_department=UNSET,
                       reason: str = "") -> ReassignmentJob:
    """Queue the hand-over of ``customers`` (ids or rows), or of every customer
    of ``from_owner`` the caller may change, to ``to_owner``."""
    errors: dict = {}
    if to_owner is None or not to_owner.is_active:
        errors["to_owner"] = [_("The owner must be an active member.")]
    if (customers is None) == (from_owner is None):
        errors["customers"] = [_("Choose the customers, or the owner whose customers move.")]
    reason = (reason or "").strip()
    if len(reason) > 300:
        errors["reason"] = [_("Use at most %(n)d characters.") % {"n": 300}]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    changeable = restrict(Customer.objects.all(), by, "crm.customer.change")
    if customers is not None:
        wanted = {str(getattr(c, "pk", c)) for c in customers}
        found = {str(pk) for pk in changeable.filter(pk__in=wanted).values_list("pk", flat=True)}
        if not wanted or wanted != found:
            raise DomainError(_("Please correct the highlighted fields."), fields={"customers": [
                _("%(n)d of the chosen customers are unknown or outside your data scope.")
                % {"n": len(wanted - found)} if wanted else _("Choose at least one customer.")]})
        ids = sorted(found)
    else:
        ids = sorted(str(pk) for pk in changeable.filter(owner=from_owner).values_list("pk", flat=True))
        if not ids:
            raise DomainError(_("Please correct the highlighted fields."), fields={
                "from_owner": [_("This person has no customers you may reassign.")]})
    if len(ids) > MAX_CUSTOMERS:
        raise DomainError(_("Please correct the highlighted fields."), fields={
            "customers": [_("Reassign at most %(n)d customers at a time.") % {"n": MAX_CUSTOMERS}]})
    job = ReassignmentJob.objects.create(
        by=by, to_owner=to_owner, to_department=None if to_department is UNSET else to_department,
        reason=reason, customer_ids=ids, total=len(ids),
    )
    schema = connection.schema_name
    job_id = str(job.pk)
    transaction.on_commit(lambda: _queue(schema, job_id))
    return job


def _queue(schema: str, job_id: str) -> None:
    from ..tasks import run_reassignment

    with schema_context(schema):
        run_reassignment.apply_async(args=[job_id])


def reassignment_run(job_id: str) -> ReassignmentJob | None:
    """Process the job's remaining customers (safe to run again)."""
    with transaction.atomic():
        job = ReassignmentJob.objects.select_for_update(skip_locked=True).filter(
            pk=job_id, status__in=[ReassignmentJob.Status.QUEUED, ReassignmentJob.Status.RUNNING]).first()
        if job is None:
            return None
        job.status = ReassignmentJob.Status.RUNNING
        job.save(update_fields=["status", "updated_at"])
    job = ReassignmentJob.objects.select_related("by", "to_owner", "to_department").get(pk=job_id)
    for customer_id in job.customer_ids[job.done:]:
        error = ""
        try:
            customer = Customer.objects.filter(pk=customer_id).first()
            if customer is None:
                error = _("The customer was deleted meanwhile.")
            else:
                department = job.to_department if job.to_department_id else UNSET
                customer_reassign(customer=customer, by=job.by, owner=job.to_owner, department=department,
                                  reason=job.reason, job=job)
        except DomainError as exc:
            error = exc.message
        updates = {"done": F("done") + 1, "updated_at": timezone.now()}
        if error:
            job.failed[customer_id] = error
            updates["failed"] = job.failed
        ReassignmentJob.objects.filter(pk=job.pk).update(**updates)
    ReassignmentJob.objects.filter(pk=job.pk).update(
        status=ReassignmentJob.Status.FAILED if job.failed else ReassignmentJob.Status.DONE,
        finished_at=timezone.now())
    return ReassignmentJob.objects.get(pk=job.pk)
