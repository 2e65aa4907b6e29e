"""Approval forms: field formats only; the rules live in the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.org.models import Role

from .models import ApprovalSettings, AssigneeType, StepKind
from .registry import document_types

User = get_user_model()


def active_people():
    return User.objects.filter(is_active=True).order_by("full_name", "email")


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(DecisionForm):
    user = forms.ModelChoiceField(label=_("Transfer to"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_people()
        self.order_fields(["user", "comment"])


class AddSignerForm(DecisionForm):
    user = forms.ModelChoiceField(label=_("Signer"), queryset=User.objects.none())
    position = forms.ChoiceField(label=_("Signs"), choices=[("before", _("Before me")), ("after", _("After me"))],
                                 initial="before")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_people()
        self.order_fields(["user", "position", "comment"])


class FlowForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document type"), choices=())
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Inactive flows accept no new submissions."))

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [("", "—")] + document_types.choices()
        if editing:
            self.fields["document_type"].disabled = True
            self.fields["document_type"].help_text = _("The document type of a flow cannot change.")


class StepForm(forms.Form):
    name = forms.CharField(label=_("Step name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=StepKind.choices, initial=StepKind.SINGLE)
    assignee_type = forms.ChoiceField(label=_("Approver"), choices=[("", "—")] + AssigneeType.choices,
                                      required=False)
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.none(), required=False)
    manager_level = forms.IntegerField(label=_("Manager level"), min_value=1, max_value=10, required=False,
                                       help_text=_("1 = direct manager, 2 = the manager's manager…"))
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    min_amount = forms.DecimalField(label=_("Only from amount"), max_digits=14, decimal_places=2, required=False,
                                    min_value=0, help_text=_("Leave empty to apply to every amount."))
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False, initial="CNY")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.order_by("name")
        self.fields["user"].queryset = active_people()

    def step(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("ORDER", None)
        data.pop("DELETE", None)
        if data.get("min_amount") is None:
            data["currency"] = ""
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("name") and not data.get("assignee_type")


class BaseStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        """Filled-in rows in the order given (blank and deleted rows dropped)."""
        return [form.step() for form in self.ordered_forms if not form.is_blank]


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=1, can_order=True, can_delete=True,
                                    max_num=20, validate_max=True)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ApprovalSettings
        fields = ["reminder_after_hours"]
        widgets = {"reminder_after_hours": forms.NumberInput(attrs={"min": 1, "max": 720})}


class DelegationForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("Delegate"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, exclude_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = active_people()
        if exclude_user is not None:
            people = people.exclude(pk=exclude_user.pk)
        self.fields["to_user"].queryset = people
