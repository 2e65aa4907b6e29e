"""Shapes only: formats are checked here, business rules in the services."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.org.models import Department
from modules.oa.models import (
    Announcement, AnnouncementKind, AnnouncementReceipt, Event, ExpenseClaim, InvitationResponse, LeaveKind, LeaveRequest, Meeting,
    MeetingInvitation, Message, MessageRecipient, WorkLog,
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


class DocumentCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# ------------------------------------------------------------- approvals


class LeaveSerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.__str__", read_only=True)
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


class ExpenseClaimSerializer(serializers.ModelSerializer):
    claimant_name = serializers.CharField(source="claimant.__str__", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    state = StateField()

    class Meta:
        model = ExpenseClaim
        fields = ["id", "claimant", "claimant_name", "department", "department_name", "title", "amount", "currency",
                  "spent_on", "description", "state", "created_at", "updated_at"]
        read_only_fields = ["id", "claimant", "department", "created_at", "updated_at"]


# -------------------------------------------------------------- work logs


class WorkLogSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)
    day = serializers.DateField(required=False, help_text="Defaults to today; fixed after creation.")

    class Meta:
        model = WorkLog
        fields = ["id", "author", "author_name", "department", "day", "summary", "next_plan", "created_at",
                  "updated_at"]
        read_only_fields = ["id", "author", "department", "created_at", "updated_at"]


# --------------------------------------------------------------- calendar


class EventSerializer(serializers.ModelSerializer):
    remind_minutes = serializers.IntegerField(min_value=0, required=False, allow_null=True,
                                              help_text="Remind the owner this many minutes before the start.")

    class Meta:
        model = Event
        fields = ["id", "owner", "title", "starts_at", "ends_at", "location", "notes", "remind_minutes",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "owner", "created_at", "updated_at"]


# --------------------------------------------------------------- messages


class MessageRecipientSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = MessageRecipient
        fields = ["user", "user_name", "read_at"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    sender_name = serializers.CharField(source="sender.__str__", read_only=True)
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


class AnnouncementSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)
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


class ReceiptSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = AnnouncementReceipt
        fields = ["id", "announcement", "user", "user_name", "read_at", "acknowledged_at"]
        read_only_fields = fields


# --------------------------------------------------------------- meetings


class InvitationSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    response = inline_choice(InvitationResponse.choices, read_only=True)

    class Meta:
        model = MeetingInvitation
        fields = ["id", "user", "user_name", "response", "responded_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.__str__", read_only=True)
    users = _people(write_only=True, help_text="People to invite.")
    departments = _departments(help_text="Departments whose active members are invited.")
    invitations = InvitationSerializer(many=True, read_only=True)
    remind_minutes = serializers.IntegerField(min_value=0, required=False, default=15)

    class Meta:
        model = Meeting
        fields = ["id", "organiser", "organiser_name", "title", "starts_at", "ends_at", "location", "agenda",
                  "minutes", "users", "departments", "invitations", "remind_minutes", "cancelled_at", "created_at"]
        read_only_fields = ["id", "organiser", "minutes", "cancelled_at", "created_at"]


class RespondSerializer(serializers.Serializer):
    response = inline_choice([(InvitationResponse.ACCEPTED, "Accepted"), (InvitationResponse.DECLINED, "Declined")])


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=50000)
