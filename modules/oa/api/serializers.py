"""Shapes only: formats are checked here, business rules in the services."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ModelSerializer
from core.org.models import Department
from modules.oa import selectors
from modules.oa.models import (
    Announcement, AnnouncementKind, AnnouncementReceipt, Attachment, Document, DocumentVersion, Event, ExpenseClaim,
    Folder, InvitationResponse, LeaveKind, LeaveRequest, Meeting, MeetingInvitation, Message, MessageRecipient, Share,
    SharePermission, WorkLog,
)

User = get_user_model()


def inline_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field with an inline enum (avoids colliding enum component names)."""
    field_class = extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})(
        type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


@extend_schema_field({"type": "string", "readOnly": True,
                      "description": "draft, pending, approved, rejected, returned or withdrawn; "
                                     "follows the approval request."})
class StateField(serializers.CharField):
    """The document's approval state (documented as a string: the same
    choice set on two resources would otherwise need a settings override)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


def _people(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False, **kwargs)


def _departments(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False, **kwargs)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id among the rows ``selector`` lets the caller see; any other id
    reads as "does not exist" (so it reveals nothing)."""

    def __init__(self, selector=None, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(user=request.user) if request is not None else super().get_queryset()


class DocumentCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# ------------------------------------------------------------- approvals


class LeaveSerializer(ModelSerializer):
    requester_name = serializers.StringRelatedField(source="requester")
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    days = serializers.DecimalField(max_digits=5, decimal_places=1, required=False,
                                    help_text="Defaults to the calendar days of the period; half days allowed.")
    state = StateField()
    kind = inline_choice(LeaveKind.choices, required=False)

    class Meta:
        model = LeaveRequest
        fields = ["id", "requester", "requester_name", "department", "department_name", "kind", "starts_on",
                  "ends_on", "days", "reason", "state", "created_at", "updated_at"]
        read_only_fields = ["id", "requester", "department", "created_at", "updated_at"]


class ExpenseClaimSerializer(ModelSerializer):
    claimant_name = serializers.StringRelatedField(source="claimant")
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    state = StateField()

    class Meta:
        model = ExpenseClaim
        fields = ["id", "claimant", "claimant_name", "department", "department_name", "title", "amount", "currency",
                  "spent_on", "description", "state", "created_at", "updated_at"]
        read_only_fields = ["id", "claimant", "department", "created_at", "updated_at"]


# -------------------------------------------------------------- work logs


class WorkLogSerializer(ModelSerializer):
    author_name = serializers.StringRelatedField(source="author")
    day = serializers.DateField(required=False, help_text="Defaults to today; fixed after creation.")

    class Meta:
        model = WorkLog
        fields = ["id", "author", "author_name", "department", "day", "summary", "next_plan", "created_at",
                  "updated_at"]
        read_only_fields = ["id", "author", "department", "created_at", "updated_at"]


# --------------------------------------------------------------- calendar


class EventSerializer(ModelSerializer):
    remind_minutes = serializers.IntegerField(min_value=0, required=False, allow_null=True,
                                              help_text="Remind the owner this many minutes before the start.")

    class Meta:
        model = Event
        fields = ["id", "owner", "title", "starts_at", "ends_at", "location", "notes", "remind_minutes",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "owner", "created_at", "updated_at"]


# --------------------------------------------------------------- messages


class MessageRecipientSerializer(ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")

    class Meta:
        model = MessageRecipient
        fields = ["user", "user_name", "read_at"]
        read_only_fields = fields


class MessageSerializer(ModelSerializer):
    sender_name = serializers.StringRelatedField(source="sender")
    users = _people(write_only=True, help_text="People to send to.")
    departments = _departments(help_text="Departments whose active members receive it.")
    recipients = MessageRecipientSerializer(many=True, read_only=True)
    read_at = serializers.SerializerMethodField(help_text="When the caller read it (null: unread or sent by them).")

    class Meta:
        model = Message
        fields = ["id", "sender", "sender_name", "subject", "body", "users", "departments", "recipients", "read_at",
                  "sent_at"]
        read_only_fields = ["id", "sender", "sent_at"]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_read_at(self, message):
        request = self.context.get("request")
        user_id = getattr(getattr(request, "user", None), "pk", None)
        for row in message.recipients.all():
            if row.user_id == user_id:
                return serializers.DateTimeField().to_representation(row.read_at) if row.read_at else None
        return None


# ---------------------------------------------------------- announcements


class AnnouncementSerializer(ModelSerializer):
    author_name = serializers.StringRelatedField(source="author")
    departments = _departments(help_text="Needed when to_all is false.")
    readers = serializers.IntegerField(read_only=True)
    read_count = serializers.IntegerField(read_only=True)
    acknowledged_count = serializers.IntegerField(read_only=True)
    kind = inline_choice(AnnouncementKind.choices, required=False)

    class Meta:
        model = Announcement
        fields = ["id", "kind", "title", "body", "author", "author_name", "to_all", "departments", "requires_ack",
                  "published_at", "readers", "read_count", "acknowledged_count"]
        read_only_fields = ["id", "author", "published_at"]


class ReceiptSerializer(ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")

    class Meta:
        model = AnnouncementReceipt
        fields = ["id", "announcement", "user", "user_name", "read_at", "acknowledged_at"]
        read_only_fields = fields


# ------------------------------------------------------------ attachments


class AttachmentSerializer(ModelSerializer):
    uploaded_by_name = serializers.StringRelatedField(source="uploaded_by")
    download_url = serializers.SerializerMethodField(help_text="GET it for the file (a download).")

    class Meta:
        model = Attachment
        fields = ["id", "document", "meeting", "name", "size", "uploaded_by", "uploaded_by_name", "created_at",
                  "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        return reverse("api:oa:attachment-download", args=[attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The file (multipart/form-data); at most ATTACHMENT_MAX_BYTES.")


# --------------------------------------------------------------- meetings


class InvitationSerializer(ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")
    response = inline_choice(InvitationResponse.choices, read_only=True)

    class Meta:
        model = MeetingInvitation
        fields = ["id", "user", "user_name", "response", "responded_at"]
        read_only_fields = fields


class MeetingSerializer(ModelSerializer):
    organiser_name = serializers.StringRelatedField(source="organiser")
    users = _people(write_only=True, help_text="People to invite. On PATCH, users and departments (when either "
                                               "is sent) replace the whole attendee list.")
    departments = _departments(help_text="Departments whose active members are invited.")
    invitations = InvitationSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    remind_minutes = serializers.IntegerField(min_value=0, required=False, default=15)

    class Meta:
        model = Meeting
        fields = ["id", "organiser", "organiser_name", "title", "starts_at", "ends_at", "location", "agenda",
                  "minutes", "users", "departments", "invitations", "attachments", "remind_minutes", "cancelled_at",
                  "created_at"]
        read_only_fields = ["id", "organiser", "minutes", "cancelled_at", "created_at"]


class RespondSerializer(serializers.Serializer):
    response = inline_choice([(InvitationResponse.ACCEPTED, "Accepted"), (InvitationResponse.DECLINED, "Declined")])


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=50000)


# -------------------------------------------------------------- documents


class ShareSerializer(ModelSerializer):
    document = VisibleRelatedField(selectors.document_list, queryset=Document.objects.all(), required=False,
                                   allow_null=True, help_text="The document to share (or give folder).")
    folder = VisibleRelatedField(selectors.folder_list, queryset=Folder.objects.all(), required=False,
                                 allow_null=True, help_text="The folder to share, with everything below it.")
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True,
                                              help_text="Share with this person (or give department).")
    user_name = serializers.StringRelatedField(source="user", allow_null=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False,
                                                    allow_null=True, help_text="Share with its members.")
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    permission = inline_choice(SharePermission.choices, required=False, default=SharePermission.VIEW)

    class Meta:
        model = Share
        fields = ["id", "document", "folder", "user", "user_name", "department", "department_name", "permission",
                  "shared_by", "created_at"]
        read_only_fields = ["id", "shared_by", "created_at"]
        validators = []  # sharing again with the same person or department updates the share

    def validate(self, attrs):
        if bool(attrs.get("document")) == bool(attrs.get("folder")):
            raise serializers.ValidationError({"document": [_("Give a document or a folder, not both.")]})
        return attrs


class FolderSerializer(ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner")
    parent = VisibleRelatedField(selectors.folder_list, queryset=Folder.objects.all(), required=False,
                                 allow_null=True, help_text="The folder it is in; null is the top level.")
    shares = ShareSerializer(many=True, read_only=True)

    class Meta:
        model = Folder
        fields = ["id", "name", "parent", "owner", "owner_name", "shares", "created_at", "updated_at"]
        read_only_fields = ["id", "owner", "created_at", "updated_at"]


class DocumentSerializer(ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner")
    body = serializers.CharField(required=False, allow_blank=True, help_text="Markdown (raw HTML is shown as text).")
    folder = VisibleRelatedField(selectors.folder_list, queryset=Folder.objects.all(), required=False,
                                 allow_null=True, help_text="The folder it is in; null is the top level. Only the "
                                                            "owner moves a document.")
    shares = ShareSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "title", "body", "folder", "owner", "owner_name", "version", "shares", "attachments",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "owner", "version", "created_at", "updated_at"]


class DocumentVersionSerializer(ModelSerializer):
    author_name = serializers.StringRelatedField(source="author")

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "title", "body", "author", "author_name", "restored_from", "created_at"]
        read_only_fields = fields


class DocumentVersionSummarySerializer(DocumentVersionSerializer):
    class Meta(DocumentVersionSerializer.Meta):
        fields = [f for f in DocumentVersionSerializer.Meta.fields if f != "body"]
        read_only_fields = fields


class RestoreSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The number of the version to restore.")
