from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.viewsets import TenantViewSet
from core.users import selectors, services
from core.users.models import ApiToken

from .serializers import (
    ApiTokenSerializer, InviteSerializer, TokenCreatedSerializer, TokenRequestSerializer, UserSerializer,
)

User = get_user_model()


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class ObtainTokenView(APIView):
    """Exchange email + password for a named API token (expires in 90 days)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenCreatedSerializer}, operation_id="auth_token_create")
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.login_check(email=data["email"], password=data["password"], ip=client_ip(request))
        token, clear = services.token_create(user=user, name=data["name"])
        body = {"id": token.id, "token": clear, "name": token.name, "expires_at": token.expires_at}
        return Response(TokenCreatedSerializer(body).data, status=status.HTTP_200_OK)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """Your own API tokens: list them, revoke one (DELETE)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        services.token_revoke(token=instance)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """People of this workspace. Invite to add one; deactivate to remove access."""

    serializer_class = UserSerializer
    permission_object = "core.user"
    queryset = User.objects.none()
    search_fields = ["email", "full_name"]
    ordering_fields = ["full_name", "email", "date_joined"]
    filterset_fields = ["department", "is_active"]

    def get_queryset(self):
        return selectors.user_list(user=self.request.user)

    def perform_update(self, serializer):
        services.user_update(user=serializer.instance, by=self.request.user, **serializer.validated_data)

    @extend_schema(request=InviteSerializer, responses={201: UserSerializer})
    @action(detail=False, methods=["post"], required_action="add")
    def invite(self, request):
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_invite(by=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def deactivate(self, request, pk=None):
        user = services.user_deactivate(user=self.get_object(), by=request.user)
        return Response(UserSerializer(user).data)


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer}, operation_id="me_retrieve")
    def get(self, request):
        return Response(UserSerializer(request.user).data)
