"""/api/v1/billing/: the workspace's plan, state and seats; Checkout, the
customer portal and plan changes. Tenant admins only; thin over billing.services."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import services
from billing.selectors import billing_summary

from .serializers import (
    BillingSummarySerializer, PlanChangeResultSerializer, PlanChoiceSerializer, RedirectSerializer,
)


def _choice(data: dict) -> dict:
    return {"plan_code": data["plan"], "interval": data["interval"], "confirm": data["confirm"]}


CONFLICT = OpenApiResponse(description="Billing is not configured, the plan does not fit, or confirm is needed "
                                       "(error code `conflict`).")


class BillingSummaryView(APIView):
    admin_only = True

    @extend_schema(responses={200: BillingSummarySerializer}, operation_id="billing_retrieve")
    def get(self, request):
        return Response(BillingSummarySerializer(billing_summary(tenant=request.tenant)).data)


class BillingCheckoutView(APIView):
    """Start a subscription: returns the Stripe Checkout URL to send the browser to."""

    admin_only = True

    @extend_schema(request=PlanChoiceSerializer, responses={200: RedirectSerializer, 409: CONFLICT},
                   operation_id="billing_checkout_create")
    def post(self, request):
        serializer = PlanChoiceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        url = services.checkout_start(tenant=request.tenant, by=request.user, **_choice(serializer.validated_data))
        return Response(RedirectSerializer({"url": url}).data)


class BillingPortalView(APIView):
    """Manage the card and see invoices: returns a Stripe customer-portal URL."""

    admin_only = True

    @extend_schema(request=None, responses={200: RedirectSerializer, 409: CONFLICT},
                   operation_id="billing_portal_create")
    def post(self, request):
        url = services.portal_start(tenant=request.tenant, by=request.user)
        return Response(RedirectSerializer({"url": url}).data)


class BillingChangePlanView(APIView):
    """Change plan or interval. Without a subscription this starts Checkout.
    A plan lacking enabled modules needs ``confirm: true``; they are switched
    off (data kept) when the change takes effect."""

    admin_only = True

    @extend_schema(request=PlanChoiceSerializer, responses={200: PlanChangeResultSerializer, 409: CONFLICT},
                   operation_id="billing_change_plan_create")
    def post(self, request):
        serializer = PlanChoiceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.plan_change(tenant=request.tenant, by=request.user, **_choice(serializer.validated_data))
        return Response(PlanChangeResultSerializer(result).data)
