from django.urls import path

from .views import BillingChangePlanView, BillingCheckoutView, BillingPortalView, BillingSummaryView

urlpatterns = [
    path("", BillingSummaryView.as_view(), name="billing-summary"),
    path("checkout/", BillingCheckoutView.as_view(), name="billing-checkout"),
    path("portal/", BillingPortalView.as_view(), name="billing-portal"),
    path("change-plan/", BillingChangePlanView.as_view(), name="billing-change-plan"),
]
