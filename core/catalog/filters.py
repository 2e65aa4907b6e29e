"""Filters shared by the product/category API and the product list page."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Category, Product
from .selectors import category_subtree_ids

ACTIVE_CHOICES = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), help_text=_("SKU or name contains"))
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), method="filter_category", label=_("Category"),
        help_text=_("Includes its sub-categories"),
    )
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=forms.Select(choices=ACTIVE_CHOICES))

    class Meta:
        model = Product
        fields = ["q", "category", "is_active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(sku__icontains=value) | Q(name__icontains=value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(category_id__in=category_subtree_ids(value))


class CategoryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    parent = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), label=_("Parent"))
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("Top level only"))

    class Meta:
        model = Category
        fields = ["q", "parent", "root"]
