"""Attachments of documents and meetings: stored under the tenant's schema
with a random name, downloaded only through permission-checked views (as a
download, under the original name), never from another tenant or without
access, size-limited, removed from storage once the deletion commits."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from modules.oa import services
from modules.oa.models import Attachment
from modules.oa.services.attachments import display_name

from .conftest import error_of, in_schema, set_module

DOCUMENTS = "/api/v1/oa/documents/"
MEETINGS = "/api/v1/oa/meetings/"
ATTACHMENTS = "/api/v1/oa/attachments/"

pytestmark = pytest.mark.usefixtures("media")


def upload(name="plan.pdf", content=b"%PDF-1.4 plan"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(media):
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def document(tenant_a, org):
    with in_schema(tenant_a):
        return services.document_create(by=org.r1, title="Plan", body="See the file.")


def test_upload_and_download_through_the_api(api_for, tenant_a, org, document, media):
    client = api_for(tenant_a, org.r1)
    created = client.post(f"{DOCUMENTS}{document.pk}/attachments/", {"file": upload("销售计划 2026.pdf")},
                          format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["size"], body["document"], body["uploaded_by_name"]) == (
        "销售计划 2026.pdf", 13, str(document.pk), "Ray One")
    [path] = stored_files(media)
    assert path.startswith(f"{tenant_a.schema_name}/oa/") and "销售" not in path and ".pdf" not in path
    download = client.get(body["download_url"])
    assert download.status_code == 200 and body_of(download) == b"%PDF-1.4 plan"
    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('销售计划 2026.pdf')}"
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    detail = client.get(f"{DOCUMENTS}{document.pk}/").json()
    assert [a["name"] for a in detail["attachments"]] == ["销售计划 2026.pdf"]


def test_download_page_uses_the_original_ascii_name(web_for, tenant_a, org, document):
    with in_schema(tenant_a):
        attachment = services.attachment_add(parent=document, by=org.r1, upload=upload('q2 "final".txt', b"hello"))
    response = web_for(tenant_a, org.r1).get(f"/oa/attachments/{attachment.pk}/")
    assert response.status_code == 200 and body_of(response) == b"hello"
    assert response["Content-Disposition"] == 'attachment; filename="q2 \\"final\\".txt"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_tenant_cannot_download_even_with_the_id(api_for, web_for, tenant_a, tenant_b, admin_b, org,
                                                          document):
    with in_schema(tenant_a):
        attachment = services.attachment_add(parent=document, by=org.r1, upload=upload())
    set_module(tenant_b, "oa", True)
    api = api_for(tenant_b, admin_b)
    assert api.get(f"{ATTACHMENTS}{attachment.pk}/download/").status_code == 404
    assert api.get(f"{ATTACHMENTS}{attachment.pk}/").status_code == 404
    assert api.delete(f"{ATTACHMENTS}{attachment.pk}/").status_code == 404
    assert web_for(tenant_b, admin_b).get(f"/oa/attachments/{attachment.pk}/").status_code == 404
    with in_schema(tenant_a):
        assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_without_access_the_file_is_not_found(api_for, web_for, tenant_a, org, document):
    with in_schema(tenant_a):
        attachment = services.attachment_add(parent=document, by=org.r1, upload=upload())
    for user in (org.r2, org.p, org.outsider):
        assert api_for(tenant_a, user).get(f"{ATTACHMENTS}{attachment.pk}/download/").status_code == 404, user
        assert web_for(tenant_a, user).get(f"/oa/attachments/{attachment.pk}/").status_code == 404, user
    with in_schema(tenant_a):
        services.share_grant(item=document, by=org.r1, user=org.p, permission="view")
    assert api_for(tenant_a, org.p).get(f"{ATTACHMENTS}{attachment.pk}/download/").status_code == 200
    # Reading is not attaching or removing.
    refused = api_for(tenant_a, org.p).post(f"{DOCUMENTS}{document.pk}/attachments/", {"file": upload()},
                                            format="multipart")
    assert error_of(refused, 403)["code"] == "permission_denied"
    assert error_of(api_for(tenant_a, org.p).delete(f"{ATTACHMENTS}{attachment.pk}/"), 403)["code"] == (
        "permission_denied")
    set_module(tenant_a, "oa", False)
    assert error_of(api_for(tenant_a, org.r1).get(f"{ATTACHMENTS}{attachment.pk}/download/"), 404)["code"] == (
        "module_disabled")


@pytest.mark.parametrize("name,shown", [
    ("../../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("C:\\Temp\\..\\.", "file"),
    ("re\x00port\n.txt", "report.txt"), ("a" * 300 + ".xlsx", "a" * 250 + ".xlsx"),
])
def test_path_traversal_names_are_harmless(name, shown, tenant_a, org, document, media):
    with in_schema(tenant_a):
        attachment = services.attachment_add(parent=document, by=org.r1, upload=upload(name, b"x"))
    assert attachment.name == shown
    [path] = stored_files(media)
    assert path == attachment.file.name and ".." not in path
    assert path.startswith(f"{tenant_a.schema_name}/oa/")


def test_display_names_never_hold_a_path():
    assert [display_name(n) for n in ("..", "", "/", "a/../..", "x/\u202egnp.exe", "b" * 400)] == [
        "file", "file", "file", "file", "gnp.exe", "b" * 255]


def test_size_limit_is_a_clear_400_and_stores_nothing(api_for, web_for, tenant_a, org, document, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = b"x" * (1024 * 1024 + 1)
    response = api_for(tenant_a, org.r1).post(f"{DOCUMENTS}{document.pk}/attachments/",
                                              {"file": upload("big.bin", big)}, format="multipart")
    assert error_of(response, 400)["fields"] == {"file": ["The file is too large: at most 1 MB."]}
    empty = api_for(tenant_a, org.r1).post(f"{DOCUMENTS}{document.pk}/attachments/",
                                           {"file": upload("empty.txt", b"")}, format="multipart")
    assert error_of(empty, 400)["fields"] == {"file": ["The submitted file is empty."]}
    page = web_for(tenant_a, org.r1).post(f"/oa/documents/{document.pk}/attachments/",
                                          {"file": upload("big.bin", big)})
    assert page.status_code == 400 and "The file is too large: at most 1 MB." in page.content.decode()
    assert api_for(tenant_a, org.r1).post(f"{DOCUMENTS}{document.pk}/attachments/", {}, format="multipart"
                                          ).status_code == 400
    with in_schema(tenant_a):
        assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_files_leave_storage_only_after_the_deletion_commits(api_for, tenant_a, org, document, media,
                                                            django_capture_on_commit_callbacks):
    with in_schema(tenant_a):
        first = services.attachment_add(parent=document, by=org.r1, upload=upload("a.txt", b"a"))
        services.attachment_add(parent=document, by=org.r1, upload=upload("b.txt", b"b"))
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert api_for(tenant_a, org.r1).delete(f"{ATTACHMENTS}{first.pk}/").status_code == 204
    assert len(stored_files(media)) == 2 and len(pending) == 1  # still there until the commit
    pending[0]()
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert api_for(tenant_a, org.r1).delete(f"{DOCUMENTS}{document.pk}/").status_code == 204
    assert stored_files(media) == []
    with in_schema(tenant_a):
        assert Attachment.objects.count() == 0


# --------------------------------------------------------------- meetings


@pytest.fixture
def meeting(tenant_a, org):
    start = timezone.now() + timedelta(days=1)
    with in_schema(tenant_a):
        return services.meeting_create(by=org.m, title="Review", starts_at=start, ends_at=start + timedelta(hours=1),
                                       users=[org.r1])


def test_minutes_files_for_attendees_only(api_for, web_for, tenant_a, org, meeting):
    organiser = web_for(tenant_a, org.m)
    sent = organiser.post(f"/oa/meetings/{meeting.pk}/attachments/", {"file": upload("minutes.docx", b"minutes")})
    assert sent.status_code == 302
    page = web_for(tenant_a, org.r1).get(f"/oa/meetings/{meeting.pk}/").content.decode()
    with in_schema(tenant_a):
        attachment = Attachment.objects.get(meeting=meeting)
    assert "minutes.docx" in page and f"/oa/attachments/{attachment.pk}/" in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    attendee = api_for(tenant_a, org.r1)
    assert body_of(attendee.get(f"{ATTACHMENTS}{attachment.pk}/download/")) == b"minutes"
    assert [a["name"] for a in attendee.get(f"{MEETINGS}{meeting.pk}/").json()["attachments"]] == ["minutes.docx"]
    assert api_for(tenant_a, org.p).get(f"{ATTACHMENTS}{attachment.pk}/download/").status_code == 404
    # An attendee who may change meetings adds a file; only the uploader or the organiser removes it.
    added = attendee.post(f"{MEETINGS}{meeting.pk}/attachments/", {"file": upload("slides.pdf")}, format="multipart")
    assert added.status_code == 201, added.content
    assert error_of(attendee.delete(f"{ATTACHMENTS}{attachment.pk}/"), 403)["code"] == "permission_denied"
    assert api_for(tenant_a, org.m).delete(f"{ATTACHMENTS}{added.json()['id']}/").status_code == 204
    assert error_of(api_for(tenant_a, org.outsider).post(f"{MEETINGS}{meeting.pk}/attachments/",
                                                         {"file": upload()}, format="multipart"), 403)["code"] == (
        "permission_denied")
