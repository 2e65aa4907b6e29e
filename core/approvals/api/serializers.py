"""Shapes only: formats are checked here, the rules in the services."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ModelSerializer
from core.approvals.models import (
    ApprovalRequest, ApprovalSettings, AssigneeType, Assignment, Decision, Delegation, FlowDefinition, FlowStep,
    StepInstance, StepKind,
)
from core.approvals.registry import document_types
from core.approvals.services import step_label
from core.org.models import Role

User = get_user_model()
# Names of optional people or things: a string, or null when there is none.
NULLABLE_STR = serializers.CharField(allow_null=True)


def _name(user) -> str | None:
    return str(user) if user is not None else None


class FlowStepSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=StepKind.choices, default=StepKind.SINGLE)
    assignee_type = serializers.ChoiceField(choices=AssigneeType.choices)
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), allow_null=True, required=False,
                                              help_text="For assignee_type \"role\".")
    role_name = serializers.CharField(source="role.name", read_only=True, allow_null=True)
    manager_level = serializers.IntegerField(allow_null=True, required=False,
                                             help_text="For assignee_type \"manager\": 1 = direct manager.")
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False,
                                              help_text="For assignee_type \"user\".")
    user_name = serializers.SerializerMethodField()
    min_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, required=False,
                                          help_text="The step applies only from this amount (in currency).")
    currency = serializers.CharField(max_length=3, allow_blank=True, required=False)

    class Meta:
        model = FlowStep
        fields = ["position", "name", "kind", "assignee_type", "role", "role_name", "manager_level", "user",
                  "user_name", "min_amount", "currency"]
        read_only_fields = ["position"]

    @extend_schema_field(NULLABLE_STR)
    def get_user_name(self, step) -> str | None:
        return _name(step.user)


class FlowSerializer(ModelSerializer):
    document_type = serializers.CharField(max_length=64, help_text="A key from /api/v1/approvals/document-types/.")
    document_type_title = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="current_version.number", read_only=True, allow_null=True)
    steps = FlowStepSerializer(many=True, source="current_version.steps",
                               help_text="Ordered steps. Changing them creates a new version.")

    class Meta:
        model = FlowDefinition
        fields = ["id", "document_type", "document_type_title", "name", "description", "is_active", "version",
                  "steps", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_document_type_title(self, flow) -> str:
        doc_type = document_types.get(flow.document_type)
        return str(doc_type.title) if doc_type else flow.document_type

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "current_version" in values:
            values["steps"] = values.pop("current_version")["steps"]
        return values


class AssignmentSerializer(ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")
    acted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "user", "user_name", "state", "acted_by", "acted_by_name", "acted_at", "comment"]

    @extend_schema_field(NULLABLE_STR)
    def get_acted_by_name(self, assignment) -> str | None:
        return _name(assignment.acted_by)


class StepSerializer(ModelSerializer):
    name = serializers.SerializerMethodField()
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = StepInstance
        fields = ["id", "round", "position", "name", "kind", "state", "added_by", "activated_at", "finished_at",
                  "assignments"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, step) -> str:
        return step_label(step)


class DecisionSerializer(ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.SerializerMethodField()
    on_behalf_of_name = serializers.SerializerMethodField()
    target_name = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "seq", "round", "action", "action_label", "step_name", "actor", "actor_name", "on_behalf_of",
                  "on_behalf_of_name", "target", "target_name", "comment", "at"]

    @extend_schema_field(NULLABLE_STR)
    def get_actor_name(self, decision) -> str | None:
        return _name(decision.actor)

    @extend_schema_field(NULLABLE_STR)
    def get_on_behalf_of_name(self, decision) -> str | None:
        return _name(decision.on_behalf_of)

    @extend_schema_field(NULLABLE_STR)
    def get_target_name(self, decision) -> str | None:
        return _name(decision.target)


class RequestSerializer(ModelSerializer):
    document_type_title = serializers.SerializerMethodField()
    submitter_name = serializers.StringRelatedField(source="submitter")
    current_step_name = serializers.SerializerMethodField()
    flow_version = serializers.IntegerField(source="flow_version.number", read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = ["id", "document_type", "document_type_title", "object_id", "title", "amount", "currency", "state",
                  "round", "flow_version", "submitter", "submitter_name", "current_step_name", "submitted_at",
                  "finished_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_document_type_title(self, request) -> str:
        doc_type = document_types.get(request.document_type)
        return str(doc_type.title) if doc_type else request.document_type

    @extend_schema_field(NULLABLE_STR)
    def get_current_step_name(self, request) -> str | None:
        return step_label(request.current_step) if request.current_step_id else None


class RequestDetailSerializer(RequestSerializer):
    steps = StepSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="What the caller may do now.")
    document_url = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "document_url", "actions", "steps", "decisions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(
        choices=["approve", "reject", "return", "transfer", "add_signer", "urge", "withdraw"])))
    def get_actions(self, request) -> list[str]:
        from core.approvals.services import actions_for

        return actions_for(request, self.context["request"].user)

    @extend_schema_field(NULLABLE_STR)
    def get_document_url(self, request) -> str | None:
        doc_type = document_types.get(request.document_type)
        if doc_type is None or doc_type.url is None or request.document is None:
            return None
        return doc_type.url(request.document)


class SubmitSerializer(serializers.Serializer):
    document_type = serializers.CharField(max_length=64, help_text="A key from /api/v1/approvals/document-types/.")
    object_id = serializers.UUIDField(help_text="The document's id.")
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequiredCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text="Why (required).")


class TransferSerializer(CommentSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True),
                                              help_text="Who takes over your part of the step.")


class AddSignerSerializer(CommentSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True),
                                              help_text="The signer to add.")
    position = serializers.ChoiceField(choices=["before", "after"], help_text="Signs before or after you.")


class DelegationSerializer(ModelSerializer):
    from_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False,
        help_text="Whose approvals are delegated; defaults to the caller (others: administrators only).",
    )
    from_user_name = serializers.StringRelatedField(source="from_user")
    to_user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    to_user_name = serializers.StringRelatedField(source="to_user")
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = ["id", "from_user", "from_user_name", "to_user", "to_user_name", "starts_at", "ends_at", "note",
                  "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_active(self, delegation) -> bool:
        from django.utils import timezone

        return delegation.starts_at <= timezone.now() < delegation.ends_at


class DocumentTypeSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    has_amount = serializers.BooleanField()
    module = serializers.CharField(allow_null=True)
    flow = serializers.UUIDField(allow_null=True, help_text="The flow of this type, if one is set up.")


class ApprovalSettingsSerializer(ModelSerializer):
    reminder_after_hours = serializers.IntegerField(min_value=1, max_value=720)

    class Meta:
        model = ApprovalSettings
        fields = ["reminder_after_hours"]
