from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import BillingInterval
from .plans import purchasable_plans


class PlanChoiceForm(forms.Form):
    """Which plan and billing interval to subscribe or change to."""

    plan = forms.ChoiceField(label=_("Plan"))
    interval = forms.ChoiceField(label=_("Billing"), choices=BillingInterval.choices, initial=BillingInterval.MONTH)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(plan.code, gettext(plan.name)) for plan in purchasable_plans()]
