"""Knowledge-base pages: search and browse articles, read one (Markdown
rendered without raw HTML), write and edit, and manage the category tree."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..filters import ArticleFilterSet
from ..forms import ArticleCategoryForm, ArticleForm


@permission_required("crm.article.view")
def article_list(request):
    listing = filter_list(request, ArticleFilterSet, selectors.article_list(user=request.user))
    access = access_for(request.user)
    return render(request, "crm/article_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "categories": selectors.article_category_tree(user=request.user),
        "can_add": access.can("crm.article.add"), "can_manage_categories": access.can("crm.article.change"),
    }, status=listing.status)


@permission_required("crm.article.view")
def article_detail(request, pk):
    article = get_object_or_404(selectors.article_list(user=request.user), pk=pk)
    access = access_for(request.user)
    return render(request, "crm/article_detail.html", {
        "article": article, "can_change": access.can("crm.article.change"),
        "can_delete": access.can("crm.article.delete"),
    })


def _article_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["tags"] = data["tags"].split(",")
    return data


@permission_required("crm.article.add")
@require_http_methods(["GET", "POST"])
def article_create(request):
    form = ArticleForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(by=request.user, **_article_data(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Article “%(title)s” saved.") % {"title": article.title})
            return redirect("crm:article-detail", pk=article.pk)
    return render(request, "crm/article_form.html", {"form": form, "article": None},
                  status=400 if form.errors else 200)


@permission_required("crm.article.change")
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    article = get_object_or_404(selectors.article_list(user=request.user, permission="crm.article.change"), pk=pk)
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_for(article))
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(article=article, by=request.user, **_article_data(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Article “%(title)s” saved.") % {"title": form.cleaned_data["title"]})
            return redirect("crm:article-detail", pk=article.pk)
    return render(request, "crm/article_form.html", {
        "form": form, "article": article, "can_delete": access_for(request.user).can("crm.article.delete"),
    }, status=400 if form.errors else 200)


@permission_required("crm.article.delete")
@require_POST
def article_delete(request, pk):
    article = get_object_or_404(selectors.article_list(user=request.user, permission="crm.article.delete"), pk=pk)
    services.article_delete(article=article, by=request.user)
    messages.success(request, _("Article deleted."))
    return redirect("crm:article-list")


# ------------------------------------------------------------------ categories


@permission_required("crm.article.view")
def article_category_list(request):
    access = access_for(request.user)
    return render(request, "crm/article_category_list.html", {
        "rows": [(category, depth, "\u2003" * depth)
                 for category, depth in selectors.article_category_tree(user=request.user)],
        "can_add": access.can("crm.article.add"), "can_change": access.can("crm.article.change"),
        "can_delete": access.can("crm.article.delete"),
    })


@permission_required("crm.article.add")
@require_http_methods(["GET", "POST"])
def article_category_create(request):
    form = ArticleCategoryForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            category = services.article_category_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Category %(name)s created.") % {"name": category.name})
            return redirect("crm:article-category-list")
    return render(request, "crm/article_category_form.html", {"form": form, "category": None},
                  status=400 if form.errors else 200)


@permission_required("crm.article.change")
@require_http_methods(["GET", "POST"])
def article_category_edit(request, pk):
    category = get_object_or_404(selectors.article_category_list(user=request.user), pk=pk)
    form = ArticleCategoryForm(request.POST or None, category=category,
                               initial={"name": category.name, "parent": category.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.article_category_update(category=category, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Category %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("crm:article-category-list")
    return render(request, "crm/article_category_form.html", {
        "form": form, "category": category, "can_delete": access_for(request.user).can("crm.article.delete"),
    }, status=400 if form.errors else 200)


@permission_required("crm.article.delete")
@require_POST
def article_category_delete(request, pk):
    category = get_object_or_404(selectors.article_category_list(user=request.user), pk=pk)
    try:
        services.article_category_delete(category=category, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Category %(name)s deleted.") % {"name": category.name})
    return redirect("crm:article-category-list")
