"""The demo workspace: a believable distribution company with departments,
staff in a manager chain, roles, a product catalogue and customers."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import connection, transaction
from django_tenants.utils import schema_context
from faker import Faker

from core.catalog.models import Category, Product
from core.org.models import Department, Role
from core.users.models import User
from modules.crm.models import Customer

from .models import Tenant
from .services import tenant_signup

DEMO_SUBDOMAIN = "demo"
DEMO_ADMIN_EMAIL = "admin@demo.weft.test"
DEMO_PASSWORD = "Demo-Weft-2026"
STAFF_PASSWORD = "Demo-Staff-2026"
OPS_EMAIL = "ops@weft.localhost"
OPS_PASSWORD = "Ops-Weft-2026"

DEPARTMENTS = {
    "Head office": None,
    "Sales": "Head office",
    "East China region": "Sales",
    "Shanghai office": "East China region",
    "Hangzhou office": "East China region",
    "South China region": "Sales",
    "Guangzhou office": "South China region",
    "Warehouse": "Head office",
    "Finance": "Head office",
    "Customer service": "Head office",
}
CATEGORIES = {
    "Industrial pumps": ["Centrifugal pumps", "Diaphragm pumps"],
    "Valves": ["Ball valves", "Gate valves"],
    "Spare parts": ["Seals", "Bearings", "Impellers"],
    "Services": [],
}


def seed_demo(*, customers: int = 300, seed: int = 2026) -> Tenant:
    """Create the demo tenant if missing and fill it; idempotent."""
    connection.set_schema_to_public()
    if not User.objects.filter(email=OPS_EMAIL).exists():
        User.objects.create_user(OPS_EMAIL, OPS_PASSWORD, full_name="Weft ops (demo)", is_staff=True)
    tenant = Tenant.objects.filter(subdomain=DEMO_SUBDOMAIN).first()
    if tenant is None:
        tenant_signup(
            company_name="Huadong Pumps & Valves Co.", subdomain=DEMO_SUBDOMAIN, admin_name="Wang Min",
            admin_email=DEMO_ADMIN_EMAIL, admin_password=DEMO_PASSWORD, plan_code="enterprise",
        )
        tenant = Tenant.objects.get(subdomain=DEMO_SUBDOMAIN)
    with schema_context(tenant.schema_name), transaction.atomic():
        if Customer.objects.exists():
            return tenant
        _fill(random.Random(seed), Faker("zh_CN"), customers)
    return tenant


def _fill(rng: random.Random, fake: Faker, customer_count: int) -> None:
    Faker.seed(rng.randint(0, 10**6))
    departments: dict[str, Department] = {}
    for name, parent in DEPARTMENTS.items():
        departments[name] = Department.objects.create(name=name, parent=departments.get(parent))
    roles = {role.name: role for role in Role.objects.all()}

    def person(email, name, department, manager=None, role=None):
        user = User.objects.create_user(email, STAFF_PASSWORD, full_name=name, department=department, manager=manager)
        if role:
            user.roles.add(roles[role])
        return user

    sales_director = person("director@demo.weft.test", "Li Qiang", departments["Sales"], role="Department head")
    reps = []
    for office, region in (("Shanghai office", "East China region"), ("Hangzhou office", "East China region"),
                           ("Guangzhou office", "South China region")):
        manager = person(f"manager.{office.split()[0].lower()}@demo.weft.test", fake.name(), departments[office],
                         sales_director, "Sales manager")
        for i in range(3):
            reps.append(person(f"rep.{office.split()[0].lower()}{i + 1}@demo.weft.test", fake.name(),
                               departments[office], manager, "Sales rep"))
    person("viewer@demo.weft.test", fake.name(), departments["Finance"], role="Read only")
    person("service@demo.weft.test", fake.name(), departments["Customer service"], role="Customer service")

    for parent_name, children in CATEGORIES.items():
        parent = Category.objects.create(name=parent_name)
        for child in children:
            Category.objects.create(name=child, parent=parent)
    leaves = list(Category.objects.filter(children__isnull=True))
    products = []
    for n in range(60):
        category = rng.choice(leaves)
        price = Decimal(rng.randrange(200, 80000)) + Decimal("0.00")
        products.append(Product(
            sku=f"HD-{n + 1:04d}", name=f"{category.name} {rng.choice(['S', 'M', 'L', 'XL'])}-{rng.randint(10, 99)}",
            category=category, unit=rng.choice(["pcs", "set", "box"]), list_price=price,
            cost=(price * Decimal(rng.uniform(0.45, 0.8))).quantize(Decimal("0.01")),
        ))
    Product.objects.bulk_create(products)

    grades = ["A", "B", "C"]
    industries = ["Water treatment", "Chemicals", "Food & beverage", "Mining", "Power", "Pharmaceuticals"]
    customers = []
    for _ in range(customer_count):
        owner = rng.choice(reps)
        customers.append(Customer(
            name=fake.company(), grade=rng.choice(grades), region=owner.department.parent.name,
            industry=rng.choice(industries), phone=fake.phone_number(), owner=owner, department=owner.department,
            credit_limit=Decimal(rng.choice([0, 50000, 100000, 200000, 500000])),
        ))
    Customer.objects.bulk_create(customers)

    from modules.crm.demo import seed_crm
    from modules.oa.demo import seed_oa

    seed_oa(connection.tenant)
    seed_crm(connection.tenant)
