
from api.serializers import ModelSerializer
from core.audit.models import AuditEntry


class AuditEntrySerializer(ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "actor_label", "action", "object_type", "object_id", "object_repr",
                  "changes", "message"]
        read_only_fields = fields
