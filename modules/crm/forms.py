"""Customer form: field formats only; the rules are checked by the services."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.org.models import Department

from .models import Customer


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
