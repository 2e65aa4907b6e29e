"""Product pages, included from web/urls.py under ``catalog/``."""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/export/", views.product_export, name="product-export"),
    path("products/<uuid:pk>/edit/", views.product_edit, name="product-edit"),
    path("products/<uuid:pk>/deactivate/", views.product_deactivate, name="product-deactivate"),
    path("categories/", views.category_tree, name="category-tree"),
    path("categories/new/", views.category_create, name="category-create"),
    path("categories/<uuid:pk>/edit/", views.category_edit, name="category-edit"),
    path("categories/<uuid:pk>/delete/", views.category_delete, name="category-delete"),
]
