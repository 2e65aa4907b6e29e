"""Billing pages on a tenant host (tenant admins only). The Stripe webhook is
on the root domain: core/urls_public.py."""

from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.subscription_page, name="subscription"),
    path("checkout/", views.checkout, name="checkout"),
    path("change-plan/", views.change_plan, name="change-plan"),
    path("portal/", views.portal, name="portal"),
]
