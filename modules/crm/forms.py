"""Customer form: field formats only; the rules are checked by the services."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.catalog.models import Product
from core.org.models import Department

from .models import Customer, FollowUp, Opportunity


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Customer.Kind.choices, initial=Customer.Kind.CUSTOMER)
    grade = forms.CharField(label=_("Grade"), max_length=16, required=False)
    region = forms.CharField(label=_("Region"), max_length=80, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=80, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    credit_limit = forms.DecimalField(label=_("Credit limit"), max_digits=14, decimal_places=2, initial=Decimal("0"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.filter(is_active=True))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False,
                                        help_text=_("When you change the owner, leave this as it is to follow "
                                                    "the new owner's department."))

    @classmethod
    def initial_for(cls, customer: Customer) -> dict:
        initial = {name: getattr(customer, name) for name in
                   ("name", "kind", "grade", "region", "industry", "phone", "credit_limit")}
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
