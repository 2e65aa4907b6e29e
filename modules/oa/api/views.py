"""OA API (thin: selectors scope, services write)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from api.viewsets import TenantViewSet
from modules.oa import selectors, services
from modules.oa.downloads import attachment_response
from modules.oa.filters import (
    AnnouncementFilterSet, DocumentFilterSet, EventFilterSet, ExpenseClaimFilterSet, FolderFilterSet,
    LeaveRequestFilterSet, MessageFilterSet, ShareFilterSet, WorkLogFilterSet,
)
from modules.oa.models import (
    Announcement, Attachment, Document, Event, ExpenseClaim, Folder, LeaveRequest, Meeting, Message, Share, WorkLog,
)

from .serializers import (
    AnnouncementSerializer, AttachmentSerializer, AttachmentUploadSerializer, DocumentCommentSerializer,
    DocumentSerializer, DocumentVersionSerializer, DocumentVersionSummarySerializer, EventSerializer,
    ExpenseClaimSerializer, FolderSerializer, LeaveSerializer, MeetingSerializer, MessageSerializer,
    MinutesSerializer, ReceiptSerializer, RespondSerializer, RestoreSerializer, ShareSerializer, WorkLogSerializer,
)

UPLOAD_SCHEMA = extend_schema(request={"multipart/form-data": AttachmentUploadSerializer},
                              responses={201: AttachmentSerializer})


class _Crud(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
            mixins.DestroyModelMixin, TenantViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    create_service = update_service = delete_service = None
    instance_arg = "obj"

    def _fresh(self, instance):
        return self.get_queryset().get(pk=instance.pk)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(type(self).create_service(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        obj = type(self).update_service(**{self.instance_arg: serializer.instance}, by=self.request.user,
                                        **serializer.validated_data)
        serializer.instance = self._fresh(obj)

    def perform_destroy(self, instance):
        type(self).delete_service(**{self.instance_arg: instance}, by=self.request.user)


class LeaveRequestViewSet(_Crud):
    """Leave requests in the caller's data scope (own; a manager's chain with
    the "subordinates" scope). Drafts are submitted into the approval engine."""

    serializer_class = LeaveSerializer
    permission_object = "oa.leave_request"
    queryset = LeaveRequest.objects.none()
    filterset_class = LeaveRequestFilterSet
    ordering_fields = ["starts_on", "created_at"]
    create_service = staticmethod(services.leave_request_create)
    update_service = staticmethod(services.leave_request_update)
    delete_service = staticmethod(services.leave_request_delete)
    instance_arg = "leave"

    def get_queryset(self):
        return selectors.leave_list(user=self.request.user)

    @extend_schema(request=DocumentCommentSerializer, responses={200: LeaveSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def submit(self, request, pk=None):
        """Submit (or resubmit after a return) for approval."""
        leave = self.get_object()
        serializer = DocumentCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        leave = services.leave_request_submit(leave=leave, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(leave)).data)

    @extend_schema(request=DocumentCommentSerializer, responses={200: LeaveSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def withdraw(self, request, pk=None):
        """Withdraw a request that is waiting for approval or was returned."""
        leave = self.get_object()
        serializer = DocumentCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        leave = services.leave_request_withdraw(leave=leave, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(leave)).data)


class ExpenseClaimViewSet(_Crud):
    """Expense claims in the caller's data scope; the amount decides whether
    the flow's finance step applies."""

    serializer_class = ExpenseClaimSerializer
    permission_object = "oa.expense_claim"
    queryset = ExpenseClaim.objects.none()
    filterset_class = ExpenseClaimFilterSet
    ordering_fields = ["spent_on", "amount", "created_at"]
    search_fields = ["title"]
    create_service = staticmethod(services.expense_claim_create)
    update_service = staticmethod(services.expense_claim_update)
    delete_service = staticmethod(services.expense_claim_delete)
    instance_arg = "claim"

    def get_queryset(self):
        return selectors.expense_list(user=self.request.user)

    @extend_schema(request=DocumentCommentSerializer, responses={200: ExpenseClaimSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def submit(self, request, pk=None):
        """Submit (or resubmit after a return) for approval."""
        claim = self.get_object()
        serializer = DocumentCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.expense_claim_submit(claim=claim, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(claim)).data)

    @extend_schema(request=DocumentCommentSerializer, responses={200: ExpenseClaimSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def withdraw(self, request, pk=None):
        """Withdraw a claim that is waiting for approval or was returned."""
        claim = self.get_object()
        serializer = DocumentCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.expense_claim_withdraw(claim=claim, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(claim)).data)


class WorkLogViewSet(_Crud):
    """Work logs in the caller's data scope: their own, and with the
    "subordinates" scope their manager chain's; a peer's log answers 404."""

    serializer_class = WorkLogSerializer
    permission_object = "oa.worklog"
    queryset = WorkLog.objects.none()
    filterset_class = WorkLogFilterSet
    search_fields = ["summary", "next_plan"]
    ordering_fields = ["day", "created_at"]
    create_service = staticmethod(services.worklog_create)
    update_service = staticmethod(services.worklog_update)
    delete_service = staticmethod(services.worklog_delete)
    instance_arg = "log"

    def get_queryset(self):
        return selectors.worklog_list(user=self.request.user)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "day"}
        serializer.instance = self._fresh(services.worklog_update(log=serializer.instance, by=self.request.user,
                                                                  **data))


class EventViewSet(_Crud):
    """The caller's own calendar events; filter a period with start/end."""

    serializer_class = EventSerializer
    permission_object = "oa.event"
    queryset = Event.objects.none()
    filterset_class = EventFilterSet
    ordering_fields = ["starts_at"]
    create_service = staticmethod(services.event_create)
    update_service = staticmethod(services.event_update)
    delete_service = staticmethod(services.event_delete)
    instance_arg = "event"

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Messages the caller sent or received (box=inbox|sent, search).
    Opening one does not mark it read: POST …/read/."""

    serializer_class = MessageSerializer
    permission_object = "oa.message"
    queryset = Message.objects.none()
    filterset_class = MessageFilterSet
    search_fields = ["subject", "body", "sender__full_name"]
    ordering_fields = ["sent_at"]

    def get_queryset(self):
        return selectors.message_list(user=self.request.user)

    def perform_create(self, serializer):
        message = services.message_send(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=message.pk)

    @extend_schema(request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["post"], required_action="view")
    def read(self, request, pk=None):
        """Mark the caller's copy read."""
        message = self.get_object()
        services.message_mark_read(message=message, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=message.pk)).data)


class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.DestroyModelMixin, TenantViewSet):
    """Announcements, news and policies sent to the caller (publishers with
    oa.announcement.change see all), with read and acknowledgement counts."""

    serializer_class = AnnouncementSerializer
    permission_object = "oa.announcement"
    queryset = Announcement.objects.none()
    filterset_class = AnnouncementFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["published_at"]

    def get_queryset(self):
        return selectors.announcement_list(user=self.request.user)

    def perform_create(self, serializer):
        announcement = services.announcement_publish(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=announcement.pk)

    def perform_destroy(self, instance):
        services.announcement_delete(announcement=instance, by=self.request.user)

    @extend_schema(request=None, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"], required_action="view")
    def read(self, request, pk=None):
        """Record that the caller read it."""
        receipt = services.announcement_mark_read(announcement=self.get_object(), by=request.user)
        return Response(ReceiptSerializer(receipt).data)

    @extend_schema(request=None, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"], required_action="view")
    def acknowledge(self, request, pk=None):
        """Confirm required reading."""
        receipt = services.announcement_acknowledge(announcement=self.get_object(), by=request.user)
        return Response(ReceiptSerializer(receipt).data)

    @extend_schema(responses={200: ReceiptSerializer(many=True)})
    @action(detail=True, methods=["get"], required_action="change", pagination_class=None)
    def receipts(self, request, pk=None):
        """Who read and acknowledged it (publishers)."""
        announcement = self.get_object()
        return Response(ReceiptSerializer(selectors.receipts_of(announcement=announcement), many=True).data)


def _attach(request, parent) -> Response:
    """Store the multipart ``file`` as an attachment of ``parent``."""
    upload = AttachmentUploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    attachment = services.attachment_add(parent=parent, by=request.user, upload=upload.validated_data["file"])
    return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, TenantViewSet):
    """Meetings the caller organises or is invited to. PATCH (the organiser)
    edits or reschedules: new attendees are invited, removed ones told, the
    others get an update and the reminders follow the new time."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = MeetingSerializer
    permission_object = "oa.meeting"
    queryset = Meeting.objects.none()
    search_fields = ["title", "agenda"]
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)

    def _fresh(self, meeting):
        return self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data

    def perform_create(self, serializer):
        meeting = services.meeting_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    def perform_update(self, serializer):
        meeting = services.meeting_update(meeting=serializer.instance, by=self.request.user,
                                          **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    @extend_schema(request=RespondSerializer, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"], required_action="view")
    def respond(self, request, pk=None):
        """Accept or decline the caller's invitation."""
        meeting = self.get_object()
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_respond(meeting=meeting, by=request.user, **serializer.validated_data)
        return Response(self._fresh(meeting))

    @extend_schema(request=MinutesSerializer, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def minutes(self, request, pk=None):
        """The organiser records the minutes."""
        meeting = self.get_object()
        serializer = MinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_record_minutes(meeting=meeting, by=request.user, **serializer.validated_data)
        return Response(self._fresh(meeting))

    @extend_schema(request=None, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def cancel(self, request, pk=None):
        """The organiser cancels; attendees are told and reminders dropped."""
        meeting = services.meeting_cancel(meeting=self.get_object(), by=request.user)
        return Response(self._fresh(meeting))

    @UPLOAD_SCHEMA
    @action(detail=True, methods=["post"], required_action="change", parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Attach a minutes file (multipart ``file``); attendees can download it."""
        return _attach(request, self.get_object())


# -------------------------------------------------------------- documents


class FolderViewSet(_Crud):
    """Folders the caller can see: their own, those shared with them or their
    department and everything below those, and what their data scope reaches.
    Only the owner renames, moves (``parent``) and deletes (empty folders)."""

    serializer_class = FolderSerializer
    permission_object = "oa.document"
    queryset = Folder.objects.none()
    filterset_class = FolderFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at"]
    create_service = staticmethod(services.folder_create)
    update_service = staticmethod(services.folder_update)
    delete_service = staticmethod(services.folder_delete)
    instance_arg = "folder"

    def get_queryset(self):
        return selectors.with_folder_details(selectors.folder_list(user=self.request.user))


class DocumentViewSet(_Crud):
    """Documents the caller can see (same rules as folders, plus documents
    shared one by one). Every change of the title or text is a new version."""

    serializer_class = DocumentSerializer
    permission_object = "oa.document"
    queryset = Document.objects.none()
    filterset_class = DocumentFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["title", "updated_at"]
    create_service = staticmethod(services.document_create)
    update_service = staticmethod(services.document_update)
    delete_service = staticmethod(services.document_delete)
    instance_arg = "document"

    def get_queryset(self):
        return selectors.with_document_details(selectors.document_list(user=self.request.user))

    @extend_schema(responses={200: DocumentVersionSummarySerializer(many=True)})
    @action(detail=True, methods=["get"], required_action="view", filter_backends=[])
    def versions(self, request, pk=None):
        """The versions, newest first (without their text)."""
        page = self.paginate_queryset(selectors.versions_of(document=self.get_object()))
        return self.get_paginated_response(DocumentVersionSummarySerializer(page, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
                   responses={200: DocumentVersionSerializer})
    @action(detail=True, methods=["get"], required_action="view", url_path=r"versions/(?P<number>[^/.]+)",
            url_name="version")
    def version(self, request, pk=None, number=None):
        """One version with its text."""
        versions = selectors.versions_of(document=self.get_object())
        if not number.isdigit():  # any segment routes here, so that authentication answers first
            raise Http404
        return Response(DocumentVersionSerializer(get_object_or_404(versions, number=int(number))).data)

    @extend_schema(request=RestoreSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def restore(self, request, pk=None):
        """Save an old version again as the newest version."""
        document = self.get_object()
        serializer = RestoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_restore(document=document, by=request.user,
                                             number=serializer.validated_data["version"])
        return Response(self.get_serializer(self._fresh(document)).data)

    @UPLOAD_SCHEMA
    @action(detail=True, methods=["post"], required_action="change", parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Attach a file (multipart ``file``)."""
        return _attach(request, self.get_object())


class ShareViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Who has access to the documents and folders the caller can see. The
    owner shares (POST: a document or a folder, a person or a department,
    view or edit; sharing again changes the access) and removes access."""

    serializer_class = ShareSerializer
    permission_object = "oa.document"
    queryset = Share.objects.none()
    filterset_class = ShareFilterSet

    @property
    def required_action(self) -> str:
        """Reading needs oa.document.view; sharing and unsharing oa.document.change."""
        return "view" if self.request.method in SAFE_METHODS else "change"

    def get_queryset(self):
        return selectors.share_list(user=self.request.user).order_by("created_at")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        document, folder = data.pop("document", None), data.pop("folder", None)
        serializer.instance = services.share_grant(item=document or folder, by=self.request.user, **data)

    def perform_destroy(self, instance):
        services.share_revoke(share=instance, by=self.request.user)


class AttachmentViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Files of the documents and meetings the caller can see. Upload through
    …/documents/{id}/attachments/ or …/meetings/{id}/attachments/."""

    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.none()

    def get_queryset(self):
        return selectors.attachment_list(user=self.request.user)

    def perform_destroy(self, instance):
        services.attachment_delete(attachment=instance, by=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, as a download under its original name."""
        return attachment_response(self.get_object())
