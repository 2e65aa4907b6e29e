"""Forms of the people administration pages. They parse input only; the
rules (unique email, reporting loops, own admin rights) live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.org.forms import department_field, department_from_choice
from core.org.models import Role

from .models import User


class _MembershipFields(forms.Form):
    """Department, manager, roles and (for tenant admins only) the admin flag."""

    def __init__(self, *args, actor_is_admin: bool, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = department_field(label=_("Department"))
        managers = User.objects.filter(is_active=True).order_by("full_name", "email")
        if user is not None:
            managers = managers.exclude(pk=user.pk)
        self.fields["manager"] = forms.ModelChoiceField(
            label=_("Manager"), queryset=managers, required=False, empty_label=_("— none —")
        )
        self.fields["roles"] = forms.ModelMultipleChoiceField(
            label=_("Roles"), queryset=Role.objects.order_by("name"), required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if actor_is_admin:
            self.fields["is_tenant_admin"] = forms.BooleanField(
                label=_("Tenant administrator"), required=False,
                help_text=_("Administrators can do everything in this workspace, whatever their roles."),
            )

    def clean_department(self):
        return department_from_choice(self.cleaned_data.get("department"))


class InviteForm(_MembershipFields):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    field_order = ["email", "full_name", "department", "manager", "roles", "is_tenant_admin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class UserEditForm(_MembershipFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    field_order = ["full_name", "department", "manager", "roles", "is_tenant_admin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “ERP sync”."))
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=90, required=False,
    )
