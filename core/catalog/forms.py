"""Page forms: field formats only; the rules are checked by the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.trees import indented_choices

from .models import Category
from .selectors import category_flat_tree, category_subtree_ids


def category_field(user, *, label, exclude_subtree_of: Category | None = None) -> forms.ModelChoiceField:
    """A select of categories in tree order, indented by depth ("— Child");
    optionally without a category and its descendants (a category's own
    parent cannot be one of them)."""
    queryset = Category.objects.all()
    excluded: set = set()
    if exclude_subtree_of is not None:
        queryset = queryset.exclude(pk__in=category_subtree_ids(exclude_subtree_of))
        excluded = set(queryset.model.objects.filter(pk__in=category_subtree_ids(exclude_subtree_of))
                       .values_list("pk", flat=True))
    field = forms.ModelChoiceField(queryset=queryset, required=False, label=label)
    field.choices = category_choices(user, excluded=excluded)
    return field


def category_choices(user, *, excluded=frozenset(), empty_label="---------") -> list[tuple[str, str]]:
    """``(id, "— " * depth + name)`` in tree order, after an empty choice."""
    return indented_choices(category_flat_tree(user=user), excluded=excluded, empty_label=empty_label)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, user, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = category_field(user, label=_("Parent category"), exclude_subtree_of=category)


class ProductForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=20, initial="pcs")
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY",
                               help_text=_("Three-letter ISO code, such as CNY or USD."))
    list_price = forms.DecimalField(label=_("List price"), max_digits=14, decimal_places=2, initial=Decimal("0"))
    cost = forms.DecimalField(label=_("Cost"), max_digits=14, decimal_places=2, initial=Decimal("0"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = category_field(user, label=_("Category"))
        self.order_fields(["sku", "name", "category", "unit", "currency", "list_price", "cost", "is_active"])
