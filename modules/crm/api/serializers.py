"""Shapes only: formats are checked here, business rules in services."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ModelSerializer
from core.catalog.models import Category, Product
from core.org.models import Department
from modules.crm.models import (
    Article, ArticleCategory, Bid, CompetitorProduct, Complaint, Contact, CrmSettings, Customer, FollowUp,
    Opportunity, OpportunityCompetitor, OwnerChange, Quote, ReassignmentJob, WebLead,
)

User = get_user_model()


class CustomerSerializer(ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text="Defaults to the caller."
    )
    owner_name = serializers.StringRelatedField(source="owner")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False,
        help_text="Defaults to the caller's department; follows the new owner on reassignment.",
    )
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    credit_limit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    allow_duplicate = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="Save although the name, tax id or phone matches another counterparty (otherwise 409 naming it).",
    )

    class Meta:
        model = Customer
        fields = ["id", "name", "kind", "grade", "region", "industry", "phone", "tax_id", "source", "credit_rating",
                  "credit_limit", "owner", "owner_name", "department", "department_name", "allow_duplicate",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class CustomerImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .xlsx or UTF-8 .csv file; the first row names the columns "
                                           "(the export's keys: name, kind, grade, region, industry, phone, tax_id, "
                                           "source, credit_rating, credit_limit, owner_email).")
    mode = serializers.ChoiceField(choices=["preview", "all", "valid"], default="preview",
                                   help_text="preview: check only; all: save every row or none; "
                                             "valid: save the valid rows and report the others.")


class CustomerImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="number")
    valid = serializers.BooleanField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    customer = serializers.UUIDField(source="customer.pk", allow_null=True, default=None)


class CustomerImportResultSerializer(serializers.Serializer):
    mode = serializers.CharField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    created = serializers.IntegerField()
    rows = CustomerImportRowSerializer(many=True)


class ReassignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False,
        help_text="Defaults to the new owner's department.",
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# ------------------------------------------------------------ scoped references


def inline_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented with an inline enum: several CRM models have
    a "kind" or "status" with different choices, which would otherwise collide
    in the schema's enum component names."""
    field_class = extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})(
        type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)



class FixedAfterCreate:
    """Serializer mixin: ``fixed_fields`` are given on create and refused on update."""

    fixed_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        if self.instance is not None:
            errors = {name: ["This cannot be changed after creation."]
                      for name in self.fixed_fields if name in attrs and attrs[name] != getattr(self.instance, name)}
            if errors:
                raise serializers.ValidationError(errors)
            attrs = {k: v for k, v in attrs.items() if k not in self.fixed_fields}
        return attrs


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference that only resolves to rows the caller may see (the module's
    selector); anything else is "does not exist" (400), never a leak."""

    def __init__(self, selector=None, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or self.selector is None:
            return self.queryset.none()
        return self.selector(user=request.user)


def _customers(user):
    from modules.crm.selectors import customer_list

    return customer_list(user=user)


def _opportunities(user):
    from modules.crm.selectors import opportunity_list

    return opportunity_list(user=user)


class ContactSerializer(FixedAfterCreate, ModelSerializer):
    fixed_fields = ("customer",)
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none())
    customer_name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "customer", "customer_name", "name", "title", "phone", "email", "is_primary", "notes",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class OpportunitySerializer(FixedAfterCreate, ModelSerializer):
    fixed_fields = ("customer",)
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                               help_text="Defaults to the caller.")
    owner_name = serializers.StringRelatedField(source="owner")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False,
        help_text="Defaults to the owner's department; follows a new owner.",
    )
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    probability = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True,
        help_text="Win probability in percent. Omit (or send null) to follow the stage's default.",
    )
    is_open = serializers.BooleanField(read_only=True)
    kind = inline_choice(Opportunity.Kind.choices, required=False)

    class Meta:
        model = Opportunity
        fields = ["id", "customer", "customer_name", "project", "kind", "source", "stage", "amount", "currency",
                  "probability", "probability_overridden", "expected_close", "owner", "owner_name", "department",
                  "department_name", "is_open", "last_follow_up_at", "stale_since", "closed_at", "lost_reason",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "probability_overridden", "last_follow_up_at", "stale_since", "closed_at",
                            "created_at", "updated_at"]


class OpportunityReassignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Opportunity.Stage.choices)
    lost_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class FollowUpSerializer(FixedAfterCreate, ModelSerializer):
    fixed_fields = ("customer", "opportunity")
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none(), required=False,
                                  help_text="Taken from the opportunity when one is given.")
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    opportunity = ScopedRelatedField(selector=_opportunities, queryset=Opportunity.objects.none(), required=False,
                                     allow_null=True)
    opportunity_project = serializers.CharField(source="opportunity.project", read_only=True, allow_null=True)
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_name = serializers.StringRelatedField(source="author")
    happened_at = serializers.DateTimeField(required=False, help_text="Defaults to now.")
    kind = inline_choice(FollowUp.Kind.choices, required=False)

    class Meta:
        model = FollowUp
        fields = ["id", "customer", "customer_name", "opportunity", "opportunity_project", "kind", "summary",
                  "happened_at", "next_action", "next_action_on", "author", "author_name", "created_at",
                  "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class OwnerChangeSerializer(ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    opportunity_project = serializers.CharField(source="opportunity.project", read_only=True, allow_null=True)
    from_owner_name = serializers.StringRelatedField(source="from_owner")
    to_owner_name = serializers.StringRelatedField(source="to_owner")
    by_name = serializers.StringRelatedField(source="by", allow_null=True)

    class Meta:
        model = OwnerChange
        fields = ["id", "customer", "customer_name", "opportunity", "opportunity_project", "from_owner",
                  "from_owner_name", "to_owner", "to_owner_name", "by", "by_name", "reason", "job", "created_at"]
        read_only_fields = fields


class ReassignmentSerializer(ModelSerializer):
    customers = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none(), many=True,
                                   required=False, write_only=True,
                                   help_text="The customers to hand over (or give from_owner).")
    from_owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, write_only=True,
                                                    help_text="Hand over every customer of this person.")
    to_owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    to_owner_name = serializers.StringRelatedField(source="to_owner")
    to_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False,
        help_text="Defaults to each new owner's department.")
    by_name = serializers.StringRelatedField(source="by")
    percent = serializers.IntegerField(read_only=True)
    status = inline_choice(ReassignmentJob.Status.choices, read_only=True)
    failed = serializers.DictField(child=serializers.CharField(), read_only=True,
                                   help_text="Customer id -> why it was not handed over.")

    class Meta:
        model = ReassignmentJob
        fields = ["id", "customers", "from_owner", "to_owner", "to_owner_name", "to_department", "reason", "by",
                  "by_name", "status", "total", "done", "percent", "failed", "created_at", "finished_at"]
        read_only_fields = ["id", "by", "status", "total", "done", "created_at", "finished_at"]


# ------------------------------------------------------------------ quotes


def _quotes(user):
    from modules.crm.selectors import quote_list

    return quote_list(user=user)


class QuoteLineSerializer(serializers.Serializer):
    """A line as sent (product, quantity, price, discount, tax) and as read
    (with its rounded net, tax and total)."""

    id = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                        help_text="Defaults to the product's name.")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                          help_text="Defaults to the product's list price.")
    discount = serializers.DecimalField(max_digits=5, decimal_places=4, required=False,
                                        help_text="A fraction: 0.1 is 10 % off.")
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=4, required=False,
                                        help_text="A fraction: 0.13 is 13 % VAT.")
    net = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    tax = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class QuoteSerializer(FixedAfterCreate, ModelSerializer):
    """Lines are replaced as a whole when ``lines`` is sent."""

    fixed_fields = ("customer", "opportunity")
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none(), required=False,
                                  help_text="Taken from the opportunity when one is given.")
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    opportunity = ScopedRelatedField(selector=_opportunities, queryset=Opportunity.objects.none(), required=False,
                                     allow_null=True)
    opportunity_project = serializers.CharField(source="opportunity.project", read_only=True, allow_null=True)
    title = serializers.CharField(max_length=200, required=False, help_text="Defaults to the opportunity's project.")
    currency = serializers.CharField(max_length=3, required=False,
                                     help_text="Defaults to the opportunity's currency, else CNY.")
    owner_name = serializers.StringRelatedField(source="owner")
    copied_from_number = serializers.CharField(source="copied_from.number", read_only=True, allow_null=True)
    state = inline_choice(Quote.State.choices, read_only=True)
    lines = QuoteLineSerializer(many=True, required=False)

    class Meta:
        model = Quote
        fields = ["id", "number", "customer", "customer_name", "opportunity", "opportunity_project", "title",
                  "currency", "valid_until", "notes", "state", "lines", "subtotal", "tax_total", "total",
                  "lost_reason", "closed_at", "copied_from", "copied_from_number", "owner", "owner_name",
                  "department", "created_at", "updated_at"]
        read_only_fields = ["id", "number", "subtotal", "tax_total", "total", "lost_reason", "closed_at",
                            "copied_from", "owner", "department", "created_at", "updated_at"]


class QuoteCopySerializer(serializers.Serializer):
    opportunity = ScopedRelatedField(selector=_opportunities, queryset=Opportunity.objects.none(), required=False,
                                     allow_null=True, help_text="Quote this opportunity with the copied lines.")
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none(), required=False,
                                  allow_null=True, help_text="Without an opportunity: the customer (default: the "
                                                             "source quote's).")


class QuoteLostSerializer(serializers.Serializer):
    lost_reason = serializers.CharField(max_length=300)


class QuoteCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# ------------------------------------------------------------- competitors


def _counterparties(user):
    """Counterparties of any kind in the caller's competitor scope: the
    service then says clearly when one is not a competitor."""
    from modules.crm.selectors import customer_list

    return customer_list(user=user, permission="crm.competitor.view")


class CompetitorSerializer(ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner")
    product_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "name", "region", "industry", "phone", "owner", "owner_name", "product_count", "created_at",
                  "updated_at"]
        read_only_fields = fields


class CompetitorProductSerializer(FixedAfterCreate, ModelSerializer):
    fixed_fields = ("competitor",)
    competitor = ScopedRelatedField(selector=_counterparties, queryset=Customer.objects.none(),
                                    help_text="A counterparty of kind competitor.")
    competitor_name = serializers.CharField(source="competitor.name", read_only=True)
    price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False)
    our_product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False,
                                                     allow_null=True, help_text="Our comparable catalog product.")
    our_product_sku = serializers.CharField(source="our_product.sku", read_only=True, allow_null=True)

    class Meta:
        model = CompetitorProduct
        fields = ["id", "competitor", "competitor_name", "name", "model", "price", "currency", "our_product",
                  "our_product_sku", "strengths", "weaknesses", "strategy", "last_seen_on", "created_at",
                  "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ComparisonQuerySerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False,
                                                 help_text="One of our products.")
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False,
                                                  help_text="Or every product of this category and below.")


class ComparisonRivalSerializer(serializers.Serializer):
    competitor_product = CompetitorProductSerializer(source="item")
    difference = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True,
                                          help_text="Their price − our list price (null: unknown or other currency).")
    percent = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                       help_text="The difference in percent of our list price.")


class ComparisonRowSerializer(serializers.Serializer):
    product = serializers.UUIDField(source="product.pk")
    product_sku = serializers.CharField(source="product.sku")
    product_name = serializers.CharField(source="product.name")
    list_price = serializers.DecimalField(source="product.list_price", max_digits=14, decimal_places=2)
    currency = serializers.CharField(source="product.currency")
    rivals = ComparisonRivalSerializer(many=True)


class OpportunityCompetitorSerializer(FixedAfterCreate, ModelSerializer):
    fixed_fields = ("opportunity", "competitor")
    opportunity = ScopedRelatedField(selector=_opportunities, queryset=Opportunity.objects.none())
    opportunity_project = serializers.CharField(source="opportunity.project", read_only=True)
    competitor = ScopedRelatedField(selector=_counterparties, queryset=Customer.objects.none(),
                                    help_text="A counterparty of kind competitor.")
    competitor_name = serializers.CharField(source="competitor.name", read_only=True)
    quoted_price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, help_text="Defaults to the opportunity's.")
    threat_level = inline_choice(OpportunityCompetitor.ThreatLevel.choices, required=False)

    class Meta:
        model = OpportunityCompetitor
        fields = ["id", "opportunity", "opportunity_project", "competitor", "competitor_name", "quoted_price",
                  "currency", "threat_level", "notes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # one per opportunity and competitor: the service answers 409 naming it


# ------------------------------------------------------------- complaints


class ComplaintSerializer(FixedAfterCreate, ModelSerializer):
    """The status moves through the ``status`` action, not by PATCH."""

    fixed_fields = ("customer", "opportunity")
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none(), required=False,
                                  help_text="Taken from the opportunity when one is given.")
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    opportunity = ScopedRelatedField(selector=_opportunities, queryset=Opportunity.objects.none(), required=False,
                                     allow_null=True)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    kind = inline_choice(Complaint.Kind.choices, required=False)
    severity = inline_choice(Complaint.Severity.choices, required=False)
    status = inline_choice(Complaint.Status.choices, read_only=True)
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True,
                                                  help_text="Notified when assigned.")
    assignee_name = serializers.StringRelatedField(source="assignee", allow_null=True)
    recorded_by_name = serializers.StringRelatedField(source="recorded_by")
    received_at = serializers.DateTimeField(required=False, help_text="Defaults to now.")

    class Meta:
        model = Complaint
        fields = ["id", "customer", "customer_name", "opportunity", "product", "kind", "severity", "subject",
                  "description", "status", "assignee", "assignee_name", "resolution", "received_at", "resolved_at",
                  "recorded_by", "recorded_by_name", "created_at", "updated_at"]
        read_only_fields = ["id", "resolution", "resolved_at", "recorded_by", "created_at", "updated_at"]


class ComplaintStatusSerializer(serializers.Serializer):
    status = inline_choice([(value, label) for value, label in Complaint.Status.choices
                            if value != Complaint.Status.OPEN],  # nothing moves back to open
                           help_text="open → in_progress → resolved → closed; resolved may go back to in_progress.")
    resolution = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="",
                                       help_text="Required to resolve.")


# ------------------------------------------------------------- knowledge base


class ArticleCategorySerializer(ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=ArticleCategory.objects.all(), required=False,
                                                allow_null=True)
    article_count = serializers.IntegerField(read_only=True, help_text="Published articles in this category.")

    class Meta:
        model = ArticleCategory
        fields = ["id", "name", "parent", "article_count", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ArticleSerializer(ModelSerializer):
    """``body`` is Markdown (raw HTML is shown as text, never run)."""

    category = serializers.PrimaryKeyRelatedField(queryset=ArticleCategory.objects.all(), required=False,
                                                  allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    author_name = serializers.StringRelatedField(source="author")

    class Meta:
        model = Article
        fields = ["id", "title", "body", "category", "category_name", "tags", "is_published", "published_at",
                  "author", "author_name", "created_at", "updated_at"]
        read_only_fields = ["id", "published_at", "author", "created_at", "updated_at"]


# ------------------------------------------------------------ web leads and bids


class WebLeadSerializer(ModelSerializer):
    status = inline_choice(WebLead.Status.choices, read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True, allow_null=True)
    assignee_name = serializers.CharField(source="assignee.get_full_name", read_only=True, allow_null=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, allow_null=True)
    opportunity_project = serializers.CharField(source="opportunity.project", read_only=True, allow_null=True)
    decided_by_name = serializers.CharField(source="decided_by.get_full_name", read_only=True, allow_null=True)

    class Meta:
        model = WebLead
        fields = ["id", "company_name", "contact_name", "phone", "email", "product", "product_name", "message",
                  "status", "assignee", "assignee_name", "customer", "customer_name", "opportunity",
                  "opportunity_project", "decided_by", "decided_by_name", "decided_at", "reject_reason",
                  "created_at", "updated_at"]
        read_only_fields = fields


class LeadQualifySerializer(serializers.Serializer):
    customer = ScopedRelatedField(selector=_customers, queryset=Customer.objects.none(), required=False,
                                  allow_null=True,
                                  help_text="Link the lead to this existing customer instead of creating one.")
    customer_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                          help_text="Name of the new customer (default: the lead's company).")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False,
        help_text="Owner of the new customer and opportunity (default: the caller).")
    allow_duplicate = serializers.BooleanField(
        default=False, help_text="Create the customer even though its name or phone matches an existing one.")
    create_contact = serializers.BooleanField(
        default=True, help_text="Add the lead's contact person to the customer (primary when it has none).")
    opportunity_project = serializers.CharField(
        max_length=200, required=False, allow_blank=True,
        help_text="Also open an opportunity for this project (source: web form).")


class LeadRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CrmSettingsSerializer(ModelSerializer):
    lead_assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True,
        help_text="Who receives new web leads; null: the workspace administrators are told.")
    lead_assignee_name = serializers.CharField(source="lead_assignee.get_full_name", read_only=True,
                                               allow_null=True)

    class Meta:
        model = CrmSettings
        fields = ["lead_assignee", "lead_assignee_name", "stale_after_days"]
        extra_kwargs = {"stale_after_days": {"min_value": 1, "max_value": 365}}


class BidSerializer(FixedAfterCreate, ModelSerializer):
    fixed_fields = ("opportunity",)
    opportunity = ScopedRelatedField(selector=_opportunities, queryset=Opportunity.objects.none())
    opportunity_project = serializers.CharField(source="opportunity.project", read_only=True)
    customer_name = serializers.CharField(source="opportunity.customer.name", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    deposit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    currency = serializers.CharField(max_length=3, required=False, help_text="Defaults to the opportunity's currency.")
    result = inline_choice(Bid.Result.choices, required=False)

    class Meta:
        model = Bid
        fields = ["id", "opportunity", "opportunity_project", "customer_name", "tender_number", "tendering_party",
                  "bid_date", "amount", "deposit", "currency", "result", "notes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
