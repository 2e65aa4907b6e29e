"""Product and category pages (thin: selectors read, services write)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from . import selectors, services
from .exports import PRODUCT_EXPORT
from .filters import ProductFilterSet
from .forms import CategoryForm, ProductForm, category_choices

PAGE_SIZE = 25


def _filtered_products(request) -> tuple[ProductFilterSet, object]:
    filterset = ProductFilterSet(request.GET, queryset=selectors.product_list(user=request.user), request=request)
    products = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, products


@permission_required("core.product.view")
def product_list(request):
    filterset, products = _filtered_products(request)
    filterset.form.fields["category"].widget.choices = category_choices(request.user)  # tree order, indented
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    access = access_for(request.user)
    return render(request, "catalog/product_list.html", {
        "filter": filterset, "page_obj": page,
        "can_add": access.can("core.product.add"), "can_change": access.can("core.product.change"),
        "can_export": access.can("core.product.export"),
    }, status=200 if filterset.is_valid() else 400)


@permission_required("core.product.export")
def product_export(request):
    _filterset, products = _filtered_products(request)
    return PRODUCT_EXPORT.response(products, request.GET.get("format", "csv"))


@permission_required("core.product.add")
@require_http_methods(["GET", "POST"])
def product_create(request):
    form = ProductForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Product %(sku)s created.") % {"sku": product.sku})
            return redirect("catalog:product-list")
    return render(request, "catalog/product_form.html", {"form": form, "product": None},
                  status=400 if form.errors else 200)


@permission_required("core.product.change")
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = get_object_or_404(selectors.product_list(user=request.user), pk=pk)
    initial = {name: getattr(product, name) for name in
               ("sku", "name", "unit", "currency", "list_price", "cost", "is_active")}
    initial["category"] = product.category_id
    form = ProductForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(product=product, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Product %(sku)s saved.") % {"sku": form.cleaned_data["sku"]})
            return redirect("catalog:product-list")
    return render(request, "catalog/product_form.html", {
        "form": form, "product": product, "can_deactivate": access_for(request.user).can("core.product.delete"),
    }, status=400 if form.errors else 200)


@permission_required("core.product.delete")
@require_POST
def product_deactivate(request, pk):
    product = get_object_or_404(selectors.product_list(user=request.user), pk=pk)
    try:
        services.product_deactivate(product=product, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Product %(sku)s deactivated.") % {"sku": product.sku})
    return redirect("catalog:product-list")


@permission_required("core.category.view")
def category_tree(request):
    access = access_for(request.user)
    return render(request, "catalog/category_tree.html", {
        "rows": [(category, depth, "\u2003" * depth)
                 for category, depth in selectors.category_flat_tree(user=request.user)],
        "can_add": access.can("core.category.add"), "can_change": access.can("core.category.change"),
        "can_delete": access.can("core.category.delete"),
    })


@permission_required("core.category.add")
@require_http_methods(["GET", "POST"])
def category_create(request):
    form = CategoryForm(request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Category %(name)s created.") % {"name": category.name})
            return redirect("catalog:category-tree")
    return render(request, "catalog/category_form.html", {"form": form, "category": None},
                  status=400 if form.errors else 200)


@permission_required("core.category.change")
@require_http_methods(["GET", "POST"])
def category_edit(request, pk):
    category = get_object_or_404(selectors.category_list(user=request.user), pk=pk)
    form = CategoryForm(request.POST or None, user=request.user, category=category,
                        initial={"name": category.name, "parent": category.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(category=category, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Category %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("catalog:category-tree")
    return render(request, "catalog/category_form.html", {"form": form, "category": category},
                  status=400 if form.errors else 200)


@permission_required("core.category.delete")
@require_http_methods(["GET", "POST"])
def category_delete(request, pk):
    category = get_object_or_404(selectors.category_list(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.category_delete(category=category, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Category %(name)s deleted.") % {"name": category.name})
        return redirect("catalog:category-tree")
    return render(request, "catalog/category_confirm_delete.html", {"category": category})
