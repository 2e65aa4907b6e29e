"""The demo OA data set: a leave request waits for the demo administrator."""

from core.approvals.selectors import pending_for
from core.org.models import Role
from modules.oa.demo import seed_oa
from modules.oa.models import Announcement, Document, Folder, Meeting, Share, WorkLog

from .conftest import in_schema


def test_seed_oa_leaves_a_leave_request_for_the_admin(tenant_a, admin_a, make_user, oa_on):
    with in_schema(tenant_a):
        head = Role.objects.get(name="Department head")  # as in the demo; OA and documents from the oa migrations
    director = make_user(tenant_a, roles=[head], email="director@demo.weft.test", full_name="Li Qiang")
    manager = make_user(tenant_a, email="manager.shanghai@demo.weft.test", full_name="Zhou Manager",
                        manager=director)
    make_user(tenant_a, email="rep.shanghai1@demo.weft.test", full_name="Wu Rep", manager=manager)
    seed_oa(tenant_a)
    with in_schema(tenant_a):
        pending = list(pending_for(user=admin_a))
        assert [(p.document_type, p.submitter_id) for p in pending] == [("oa.leave_request", director.pk)]
        assert Announcement.objects.count() == 2  # no "Sales" department in alpha: the department one is skipped
        assert list(Meeting.objects.get().invitations.values_list("user__full_name", flat=True)) == ["Zhou Manager"]
        assert WorkLog.objects.count() == 2
        assert sorted(Folder.objects.values_list("name", flat=True)) == ["2026 Q2", "Sales plans"]
        assert sorted(Document.objects.values_list("title", "version")) == [
            ("East China sales plan", 2), ("Visit report template", 1)]
        assert list(Share.objects.values_list("user__full_name", "permission")) == [("Zhou Manager", "edit")]
