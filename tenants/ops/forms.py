from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import TenantState


class OpsLoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class TenantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state"))] + TenantState.choices)
    plan = forms.ChoiceField(label=_("Plan"), required=False, choices=[])

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", _("Any plan"))] + [(p.code, p.name) for p in plans]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendTrialForm(ReasonForm):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=90, initial=14)


class SupportAccessForm(ReasonForm):
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=120, initial=30)


class ChangePlanForm(ReasonForm):
    plan = forms.ChoiceField(label=_("Plan"), choices=[])
    confirm = forms.BooleanField(label=_("Switch off modules the plan does not include (data is kept)"),
                                 required=False)

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.code, p.name) for p in plans]
