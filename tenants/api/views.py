from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.services import tenant_signup

from .serializers import SignupResultSerializer, SignupSerializer


class SignupView(APIView):
    """Create a workspace: a tenant on its own subdomain with its admin user."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []  # the signup service applies the per-IP allowance

    @extend_schema(request=SignupSerializer, responses={201: SignupResultSerializer}, operation_id="signup")
    def post(self, request):
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = tenant_signup(
            company_name=data["company_name"], subdomain=data["subdomain"], admin_name=data["admin_name"],
            admin_email=data["admin_email"], admin_password=data["admin_password"],
            plan_code=data.get("plan") or None, language=data.get("language") or "en",
            client_ip=request.META.get("REMOTE_ADDR"),
        )
        body = {"subdomain": result.tenant.subdomain, "url": result.url, "state": result.tenant.state,
                "login_url": result.handoff_url}
        return Response(SignupResultSerializer(body).data, status=status.HTTP_201_CREATED)
