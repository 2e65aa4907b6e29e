"""factory_boy factories for core records (create them inside a schema_context)."""

from decimal import Decimal

import factory
from django.utils import timezone

from core.catalog.models import Category, Product
from core.org.models import DataScope, Department, Role
from core.users.models import User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    permissions = factory.LazyFunction(list)
    data_scope = DataScope.OWN


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "Weft-test-pass-42")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    list_price = Decimal("100.00")
    cost = Decimal("60.00")


class CustomerFactory(factory.django.DjangoModelFactory):
    """Pass ``owner`` (a user of the same schema); department defaults to the owner's."""

    class Meta:
        model = "crm.Customer"

    name = factory.Sequence(lambda n: f"Customer {n}")
    owner = factory.SubFactory(UserFactory)
    department = factory.LazyAttribute(lambda o: o.owner.department)
    credit_limit = Decimal("1000.00")


class ContactFactory(factory.django.DjangoModelFactory):
    """Pass ``customer``."""

    class Meta:
        model = "crm.Contact"

    name = factory.Sequence(lambda n: f"Contact {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    """Pass ``customer``; owner and department default to the customer's."""

    class Meta:
        model = "crm.Opportunity"

    project = factory.Sequence(lambda n: f"Project {n}")
    owner = factory.LazyAttribute(lambda o: o.customer.owner)
    department = factory.LazyAttribute(lambda o: o.owner.department)
    amount = Decimal("10000.00")


class FollowUpFactory(factory.django.DjangoModelFactory):
    """Pass ``customer`` (and optionally ``opportunity``); author defaults to the customer's owner."""

    class Meta:
        model = "crm.FollowUp"

    summary = factory.Sequence(lambda n: f"Called about offer {n}")
    happened_at = factory.LazyFunction(timezone.now)
    author = factory.LazyAttribute(lambda o: o.customer.owner)


class QuoteFactory(factory.django.DjangoModelFactory):
    """Pass ``customer`` (optionally ``opportunity``); owner and department
    default to the customer's. Totals are whatever you pass (use the quote
    services for computed totals)."""

    class Meta:
        model = "crm.Quote"

    number = factory.Sequence(lambda n: f"QF-{n:06d}")
    title = factory.Sequence(lambda n: f"Quote {n}")
    owner = factory.LazyAttribute(lambda o: o.customer.owner)
    department = factory.LazyAttribute(lambda o: o.owner.department)


class QuoteLineFactory(factory.django.DjangoModelFactory):
    """Pass ``quote``, ``product`` and ``position``."""

    class Meta:
        model = "crm.QuoteLine"

    quantity = Decimal("1")
    unit_price = Decimal("100.00")
    net = Decimal("100.00")
    tax = Decimal("0.00")
    total = Decimal("100.00")


def drop_flows(**filters) -> None:
    """Remove seeded approval flows (and their requests) matching ``filters``,
    so a test can define its own; call inside the test's rolled-back transaction."""
    from core.approvals.models import ApprovalRequest, FlowDefinition

    flows = list(FlowDefinition.objects.filter(**filters))
    ApprovalRequest.objects.filter(document_type__in={flow.document_type for flow in flows}).delete()
    for flow in flows:
        flow.current_version = None
        flow.save(update_fields=["current_version"])
        flow.delete()
