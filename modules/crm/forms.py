"""Customer form: field formats only; the rules are checked by the services."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.catalog.models import Category, Product
from core.org.models import Department
from core.trees import flatten, indented_choices, nest, subtree_ids

from .models import ArticleCategory, Bid, Complaint, Customer, FollowUp, Opportunity
from .models.competitors import ThreatLevel
from .models.feedback import ComplaintStatus


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Customer.Kind.choices, initial=Customer.Kind.CUSTOMER)
    grade = forms.CharField(label=_("Grade"), max_length=16, required=False)
    region = forms.CharField(label=_("Region"), max_length=80, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=80, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    tax_id = forms.CharField(label=_("Tax id"), max_length=40, required=False,
                             help_text=_("Unified social credit code or VAT number."))
    source = forms.ChoiceField(label=_("Source"), choices=[("", "—"), *Customer.Source.choices], required=False)
    credit_rating = forms.ChoiceField(label=_("Credit rating"), choices=[("", "—"), *Customer.CreditRating.choices],
                                      required=False)
    credit_limit = forms.DecimalField(label=_("Credit limit"), max_digits=14, decimal_places=2, initial=Decimal("0"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.filter(is_active=True))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False,
                                        help_text=_("When you change the owner, leave this as it is to follow "
                                                    "the new owner's department."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("allow_duplicate"):
            self.offer_duplicate_override()

    def offer_duplicate_override(self) -> None:
        """Add the confirmation box, once the service has named a possible duplicate."""
        self.fields["allow_duplicate"] = forms.BooleanField(
            label=_("Save even though it looks like an existing customer"), required=False,
            help_text=_("Only after checking the matches named above."),
        )

    def service_data(self, names=None) -> tuple[dict, bool]:
        """The fields for the service (``names`` only, when given) and the duplicate confirmation."""
        data = {name: value for name, value in self.cleaned_data.items()
                if name != "allow_duplicate" and (names is None or name in names)}
        return data, bool(self.cleaned_data.get("allow_duplicate"))

    @classmethod
    def initial_for(cls, customer: Customer) -> dict:
        initial = {name: getattr(customer, name) for name in
                   ("name", "kind", "grade", "region", "industry", "phone", "tax_id", "source", "credit_rating",
                    "credit_limit")}
        initial["owner"] = customer.owner_id
        initial["department"] = customer.department_id
        return initial


def _users():
    return get_user_model().objects.filter(is_active=True)


class OpportunityForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    project = forms.CharField(label=_("Project"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Opportunity.Kind.choices)
    source = forms.ChoiceField(label=_("Source"), choices=Opportunity.Source.choices,
                               initial=Opportunity.Source.SELF_DEVELOPED)
    stage = forms.ChoiceField(label=_("Stage"), choices=Opportunity.Stage.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, initial=Decimal("0"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    probability = forms.IntegerField(label=_("Win probability (%)"), min_value=0, max_value=100, required=False,
                                     help_text=_("Leave empty to follow the stage's default."))
    expected_close = forms.DateField(label=_("Expected close"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_users())
    lost_reason = forms.CharField(label=_("Lost reason"), max_length=300, required=False)

    def __init__(self, *args, customers=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()
        if editing:
            del self.fields["customer"]
        else:
            del self.fields["lost_reason"]
            self.fields["customer"].queryset = customers
            self.fields["stage"].choices = [c for c in Opportunity.Stage.choices if c[0] not in ("won", "lost")]

    @classmethod
    def initial_for(cls, opportunity: Opportunity) -> dict:
        initial = {name: getattr(opportunity, name) for name in
                   ("project", "kind", "source", "stage", "amount", "currency", "expected_close", "lost_reason")}
        initial["probability"] = opportunity.probability if opportunity.probability_overridden else None
        initial["owner"] = opportunity.owner_id
        return initial


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    happened_at = forms.DateTimeField(label=_("When"), required=False, help_text=_("Leave empty for now."),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    next_action = forms.CharField(label=_("Next action"), max_length=200, required=False)
    next_action_on = forms.DateField(label=_("Next action date"), required=False,
                                     help_text=_("The owner gets a reminder that morning."),
                                     widget=forms.DateInput(attrs={"type": "date"}))


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    title = forms.CharField(label=_("Job title"), max_length=80, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReassignmentForm(forms.Form):
    from_owner = forms.ModelChoiceField(label=_("All customers of"), queryset=_users(), required=False,
                                        help_text=_("For a leaver: every customer of this person you may change."))
    customers = forms.ModelMultipleChoiceField(label=_("Or these customers"), queryset=Customer.objects.none(),
                                               required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    to_owner = forms.ModelChoiceField(label=_("New owner"), queryset=_users())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customers"].queryset = customers
        self.fields["from_owner"].queryset = get_user_model().objects.all()
        self.fields["to_owner"].queryset = _users()


# ------------------------------------------------------------------ quotes

PERCENT_HELP = _("Percent, e.g. 5 for 5 %.")


class QuoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Defaults to the opportunity's project."))
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                               help_text=_("Defaults to the opportunity's currency, else CNY."))
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QuoteLineForm(forms.Form):
    """One line; percentages on the page, fractions in the services."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=3, required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=14, decimal_places=2, required=False,
                                    help_text=_("Empty: the product's list price."))
    discount = forms.DecimalField(label=_("Discount (%)"), max_digits=6, decimal_places=2, min_value=0,
                                  max_value=100, required=False, help_text=PERCENT_HELP)
    tax_rate = forms.DecimalField(label=_("Tax (%)"), max_digits=6, decimal_places=2, min_value=0, max_value=100,
                                  required=False, help_text=PERCENT_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("product") is None:
            if any(data.get(k) not in (None, "") for k in ("description", "quantity", "unit_price")):
                self.add_error("product", _("Choose a product."))
            return data
        if data.get("quantity") is None:
            self.add_error("quantity", _("This field is required."))
        return data

    def as_line(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("product") is None:
            return None
        hundred = Decimal(100)
        return {"product": data["product"], "description": data.get("description") or "",
                "quantity": data["quantity"], "unit_price": data.get("unit_price"),
                "discount": (data.get("discount") or Decimal(0)) / hundred,
                "tax_rate": (data.get("tax_rate") or Decimal(0)) / hundred}

    @staticmethod
    def initial_for(line) -> dict:
        hundred = Decimal(100)
        return {"product": line.product_id, "description": line.description, "quantity": line.quantity,
                "unit_price": line.unit_price, "discount": (line.discount * hundred).quantize(Decimal("0.01")),
                "tax_rate": (line.tax_rate * hundred).quantize(Decimal("0.01"))}


QuoteLineFormSet = forms.formset_factory(QuoteLineForm, extra=3, max_num=200, validate_max=True)


class QuoteLostForm(forms.Form):
    lost_reason = forms.CharField(label=_("Why was it lost?"), max_length=300)


class QuoteCopyForm(forms.Form):
    opportunity = forms.ModelChoiceField(label=_("For opportunity"), queryset=Opportunity.objects.none(),
                                         required=False, help_text=_("Empty: the same customer, no opportunity."))

    def __init__(self, *args, opportunities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if opportunities is not None:
            self.fields["opportunity"].queryset = opportunities


class CustomerImportForm(forms.Form):
    file = forms.FileField(label=_("Excel or CSV file"),
                           help_text=_("The first row names the columns, as in the export or the template."))


# ------------------------------------------------------------ web leads and bids


class WebLeadForm(forms.Form):
    """The public order form. ``website`` is a honeypot: people never see it
    (hidden by CSS, skipped by the keyboard); robots fill it in."""

    company_name = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    product = forms.ModelChoiceField(label=_("Product you are interested in"), queryset=Product.objects.none(),
                                     required=False)
    message = forms.CharField(label=_("Message"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    HONEYPOT = "website"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("name")

    def is_bot(self) -> bool:
        return bool(self.is_bound and (self.data.get(self.HONEYPOT) or "").strip())

    @property
    def enquiry(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != self.HONEYPOT}


class LeadQualifyForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Link to an existing customer"), queryset=Customer.objects.none(),
                                      required=False, help_text=_("Leave empty to create a new customer."))
    customer_name = forms.CharField(label=_("New customer's name"), max_length=200, required=False)
    allow_duplicate = forms.BooleanField(
        label=_("Create a new customer even though one with this name or phone exists"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_users(),
                                   help_text=_("Owns the new customer and the opportunity, and is told."))
    create_contact = forms.BooleanField(label=_("Add the contact person to the customer"), required=False)
    opportunity_project = forms.CharField(label=_("Open an opportunity for project"), max_length=200,
                                          required=False, help_text=_("Leave empty for no opportunity."))

    def __init__(self, *args, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        self.fields["owner"].queryset = _users()


class LeadRejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is it rejected?"), max_length=300)


class CrmSettingsForm(forms.Form):
    lead_assignee = forms.ModelChoiceField(
        label=_("Web leads go to"), queryset=get_user_model().objects.none(), required=False,
        help_text=_("Empty: the workspace administrators are told of each new lead."))
    stale_after_days = forms.IntegerField(
        label=_("Stale after (days)"), min_value=1, max_value=365,
        help_text=_("An open opportunity without a follow-up for this many days is flagged, and its owner and "
                    "their manager are told."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_assignee"].queryset = _users()


class BidForm(forms.Form):
    tender_number = forms.CharField(label=_("Tender number"), max_length=64)
    tendering_party = forms.CharField(label=_("Tendering party"), max_length=200)
    bid_date = forms.DateField(label=_("Bid date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Bid amount"), max_digits=14, decimal_places=2)
    deposit = forms.DecimalField(label=_("Deposit"), max_digits=14, decimal_places=2, initial=Decimal("0"))
    currency = forms.CharField(label=_("Currency"), max_length=3)
    result = forms.ChoiceField(label=_("Result"), choices=Bid.Result.choices, initial=Bid.Result.PENDING)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, bid: Bid) -> dict:
        return {name: getattr(bid, name) for name in cls.base_fields}


# ------------------------------------------------------------- competitors

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _active_products():
    return Product.objects.filter(is_active=True)


class CompetitorProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    model = forms.CharField(label=_("Model / specification"), max_length=200, required=False)
    price = forms.DecimalField(label=_("Price"), max_digits=14, decimal_places=2, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    our_product = forms.ModelChoiceField(label=_("Our comparable product"), queryset=Product.objects.none(),
                                         required=False)
    strengths = forms.CharField(label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weaknesses = forms.CharField(label=_("Weaknesses"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    strategy = forms.CharField(label=_("Strategy notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("How to win against this product."))
    last_seen_on = forms.DateField(label=_("Last seen"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["our_product"].queryset = _active_products()

    @classmethod
    def initial_for(cls, product) -> dict:
        initial = {name: getattr(product, name) for name in cls.base_fields if name != "our_product"}
        initial["our_product"] = product.our_product_id
        return initial


class OpportunityCompetitorForm(forms.Form):
    competitor = forms.ModelChoiceField(label=_("Competitor"), queryset=Customer.objects.none())
    quoted_price = forms.DecimalField(label=_("Their quoted price"), max_digits=14, decimal_places=2, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                               help_text=_("Defaults to the opportunity's currency."))
    threat_level = forms.ChoiceField(label=_("Threat level"), choices=ThreatLevel.choices,
                                     initial=ThreatLevel.MEDIUM)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, competitors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if competitors is None:  # editing: the competitor is fixed
            del self.fields["competitor"]
        else:
            self.fields["competitor"].queryset = competitors

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {name: getattr(entry, name) for name in ("quoted_price", "currency", "threat_level", "notes")}


def catalog_category_choices() -> list[tuple[str, str]]:
    """Every product category in tree order (shared master data, like the products a quote lists)."""
    return indented_choices(flatten(nest(Category.objects.order_by("name"))))


class ComparisonForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Our product"), queryset=Product.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("Or a category"), queryset=Category.objects.all(), required=False,
                                      help_text=_("Every product of the category and its sub-categories."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("sku")
        self.fields["category"].choices = catalog_category_choices()


# ------------------------------------------------------------- complaints


class ComplaintForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Complaint.Kind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Complaint.Severity.choices,
                                 initial=Complaint.Severity.MEDIUM)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=_users(), required=False,
                                      help_text=_("They are notified."))
    received_at = forms.DateTimeField(label=_("Received"), required=False, help_text=_("Leave empty for now."),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _users()
        self.fields["product"].queryset = Product.objects.order_by("sku")
        if customers is None:  # editing: the customer is fixed
            del self.fields["customer"]
        else:
            self.fields["customer"].queryset = customers

    @classmethod
    def initial_for(cls, complaint) -> dict:
        initial = {name: getattr(complaint, name) for name in ("kind", "severity", "subject", "description",
                                                               "received_at")}
        initial.update(product=complaint.product_id, assignee=complaint.assignee_id)
        return initial


class ComplaintStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=ComplaintStatus.choices)
    resolution = forms.CharField(label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Required to resolve."))


# ------------------------------------------------------------- knowledge base


def _article_category_field(label, *, excluded=frozenset()) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(label=label, queryset=ArticleCategory.objects.exclude(pk__in=excluded),
                                   required=False)
    field.choices = indented_choices(flatten(nest(ArticleCategory.objects.order_by("name"))), excluded=excluded)
    return field


class ArticleCategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        excluded = frozenset()
        if category is not None:
            excluded = frozenset(ArticleCategory.objects.filter(pk__in=subtree_ids(ArticleCategory, category))
                                 .values_list("pk", flat=True))
        self.fields["parent"] = _article_category_field(_("Parent category"), excluded=excluded)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}),
                           help_text=_("Markdown: # headings, **bold**, lists, links, tables."))
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    is_published = forms.BooleanField(label=pgettext_lazy("state", "Published"), required=False,
                                      help_text=_("Drafts are seen only by you and the editors."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = _article_category_field(_("Category"))
        self.order_fields(["title", "category", "body", "tags", "is_published"])

    @classmethod
    def initial_for(cls, article) -> dict:
        return {"title": article.title, "body": article.body, "category": article.category_id,
                "tags": ", ".join(article.tags), "is_published": article.is_published}

