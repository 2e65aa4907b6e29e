"""Approvals API (thin: selectors read, services decide).

- flows: tenant admins and holders of "core.approval_flow.*"; changing the
  steps creates a new version.
- requests: visible to their submitter, approvers (and delegates) and admins;
  POST submits a document; actions are POSTs on a request. Refusals: 403 for
  people who may not act at all, 409 for acting twice / out of turn / on a
  finished request, 429 for urging twice within the hour.
- pending: "my pending approvals".
- delegations: one's own (admins: everyone's).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.viewsets import TenantViewSet
from core.approvals import selectors, services
from core.approvals.filters import RequestFilterSet
from core.approvals.models import ApprovalRequest, Delegation, FlowDefinition
from core.approvals.registry import document_types

from .serializers import (
    AddSignerSerializer, ApprovalSettingsSerializer, CommentSerializer, DelegationSerializer,
    DocumentTypeSerializer, FlowSerializer, RequestDetailSerializer, RequestSerializer, RequiredCommentSerializer,
    SubmitSerializer, TransferSerializer,
)

UUID_RE = r"[0-9a-fA-F-]{36}"


class FlowViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Approval flows, one per document type. Changing ``steps`` creates a new
    version: requests already submitted keep theirs. A flow used by requests
    cannot be deleted (409); deactivate it (``is_active``: false) instead."""

    serializer_class = FlowSerializer
    permission_object = "core.approval_flow"
    queryset = FlowDefinition.objects.none()
    lookup_value_regex = UUID_RE
    filterset_fields = ["document_type", "is_active"]
    search_fields = ["name", "document_type"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.flow_list(user=self.request.user)

    def perform_create(self, serializer):
        flow = services.flow_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=flow.pk)

    def perform_update(self, serializer):
        flow = services.flow_update(flow=serializer.instance, by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=flow.pk)

    def perform_destroy(self, instance):
        services.flow_delete(flow=instance, by=self.request.user)


def _action_schema(request_serializer, description):
    return extend_schema(request=request_serializer, responses={
        200: RequestDetailSerializer,
        400: OpenApiResponse(description="Invalid fields."),
        403: OpenApiResponse(description="You may not take this action on this request."),
        404: OpenApiResponse(description="No such request visible to you."),
        409: OpenApiResponse(description="Acting twice, out of turn, or on a finished request."),
    }, description=description)


@extend_schema_view(
    list=extend_schema(description="Requests you submitted or are (or were) an approver of; admins see all."),
    retrieve=extend_schema(description="A request with its steps, approvers and full decision history."),
)
class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Approval requests and the actions on them."""

    queryset = ApprovalRequest.objects.none()
    lookup_value_regex = UUID_RE
    filterset_class = RequestFilterSet
    search_fields = ["title"]
    ordering_fields = ["submitted_at", "finished_at", "amount"]

    def get_serializer_class(self):
        return RequestSerializer if self.action == "list" else RequestDetailSerializer

    def get_queryset(self):
        if self.action != "retrieve":
            return selectors.request_list(user=self.request.user)
        return selectors.request_list(user=self.request.user).prefetch_related(
            "steps__assignments__user", "steps__assignments__acted_by",
            "decisions__actor", "decisions__on_behalf_of", "decisions__target",
        )

    def _detail(self, approval):
        approval = selectors.request_detail(user=self.request.user, pk=approval.pk)
        return Response(RequestDetailSerializer(approval, context=self.get_serializer_context()).data)

    @extend_schema(request=SubmitSerializer, responses={201: RequestDetailSerializer},
                   description="Submit a document for approval (or resubmit one that was returned for edit). "
                               "You must be allowed to change the document.")
    def create(self, request):
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.approval_submit_by_id(by=request.user, **serializer.validated_data)
        detail = selectors.request_detail(user=request.user, pk=approval.pk)
        return Response(RequestDetailSerializer(detail, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, service, rename=None):
        approval = self.get_object()  # not visible: 404 before any validation
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for old, new in (rename or {}).items():
            data[new] = data.pop(old)
        service(request=approval, by=request.user, **data)
        return self._detail(approval)

    @_action_schema(CommentSerializer, "Approve your part of the current step.")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(request, CommentSerializer, services.approval_approve)

    @_action_schema(RequiredCommentSerializer, "Reject the request (ends it).")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(request, RequiredCommentSerializer, services.approval_reject)

    @_action_schema(RequiredCommentSerializer, "Return the document to the submitter for edit.")
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_edit(self, request, pk=None):
        return self._act(request, RequiredCommentSerializer, services.approval_return)

    @_action_schema(CommentSerializer, "Withdraw your own request (pending or returned).")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, CommentSerializer, services.approval_withdraw)

    @_action_schema(CommentSerializer, "Remind the current approvers (submitter only; once an hour, else 429).")
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        return self._act(request, CommentSerializer, services.approval_urge)

    @_action_schema(AddSignerSerializer, "Add a signer before you (it comes back to you) or after you.")
    @action(detail=True, methods=["post"], url_path="add-signer")
    def add_signer(self, request, pk=None):
        return self._act(request, AddSignerSerializer, services.approval_add_signer)

    @_action_schema(TransferSerializer, "Hand your part of the current step to someone else.")
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._act(request, TransferSerializer, services.approval_transfer, rename={"user": "to_user"})


class PendingViewSet(mixins.ListModelMixin, TenantViewSet):
    """My pending approvals: requests whose current step waits for you (or for
    someone who delegated to you), oldest first."""

    serializer_class = RequestSerializer
    queryset = ApprovalRequest.objects.none()
    filterset_fields = ["document_type"]
    search_fields = ["title"]
    ordering_fields = ["submitted_at", "amount"]

    def get_queryset(self):
        return selectors.pending_for(user=self.request.user)


class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        TenantViewSet):
    """Standing delegations: while one is active, the delegate may act on the
    approver's approvals (recorded "on behalf of"). You see the delegations
    you gave or received (admins: all)."""

    serializer_class = DelegationSerializer
    queryset = Delegation.objects.none()
    lookup_value_regex = UUID_RE
    ordering_fields = ["starts_at", "ends_at"]

    def get_queryset(self):
        return selectors.delegation_list(user=self.request.user)

    def perform_create(self, serializer):
        delegation = services.delegation_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=delegation.pk)

    @extend_schema(request=None, responses={200: DelegationSerializer,
                                            204: OpenApiResponse(description="Not started yet: removed.")})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End an active delegation now (it stays in the list) or remove one
        that has not started; an ended one answers 409."""
        delegation = services.delegation_end(delegation=self.get_object(), by=request.user)
        if delegation is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(DelegationSerializer(self.get_queryset().get(pk=delegation.pk)).data)


class DocumentTypeViewSet(mixins.ListModelMixin, TenantViewSet):
    """The document types modules have registered for approval, with the
    flow set up for each (if any)."""

    serializer_class = DocumentTypeSerializer
    queryset = FlowDefinition.objects.none()
    filter_backends = []

    def list(self, request):
        flows = dict(FlowDefinition.objects.values_list("document_type", "pk"))
        rows = [{"key": t.key, "title": str(t.title), "has_amount": t.has_amount, "module": t.module,
                 "flow": flows.get(t.key)} for t in document_types.all()]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DocumentTypeSerializer(page, many=True).data)


class ApprovalSettingsView(APIView):
    """Workspace approval settings: after how many hours waiting approvers get
    a reminder. Everyone reads; administrators change."""

    @extend_schema(responses={200: ApprovalSettingsSerializer}, operation_id="approvals_settings_retrieve")
    def get(self, request):
        return Response(ApprovalSettingsSerializer(services.approval_settings()).data)

    @extend_schema(request=ApprovalSettingsSerializer, responses={200: ApprovalSettingsSerializer},
                   operation_id="approvals_settings_partial_update")
    def patch(self, request):
        serializer = ApprovalSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        hours = serializer.validated_data.get("reminder_after_hours", services.approval_settings().reminder_after_hours)
        row = services.approval_settings_update(by=request.user, reminder_after_hours=hours)
        return Response(ApprovalSettingsSerializer(row).data)

