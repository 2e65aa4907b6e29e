"""Documents and folders: version history (every saved change, view, restore),
sharing with people, departments and through folders, who sees and edits
what (a peer without a share sees nothing), Markdown shown without raw HTML,
API refusals and constant query counts."""

import pytest

from core.audit.models import AuditEntry
from core.errors import DomainError
from core.notifications.models import Notification
from modules.oa import selectors, services
from modules.oa.models import Document, DocumentVersion, Folder, Share

from .conftest import error_of, in_schema, set_module

DOCUMENTS = "/api/v1/oa/documents/"
FOLDERS = "/api/v1/oa/folders/"
SHARES = "/api/v1/oa/shares/"


def titles(response):
    return sorted(row["title"] for row in response.json()["results"])


def snapshot(tenant):
    """Every document, version, folder and share row (to show a refused change changed nothing)."""
    with in_schema(tenant):
        return (sorted(Document.objects.values_list("id", "title", "body", "folder_id", "version")),
                sorted(DocumentVersion.objects.values_list("document_id", "number", "body")),
                sorted(Folder.objects.values_list("id", "name", "parent_id")),
                sorted(Share.objects.values_list("document_id", "folder_id", "user_id", "department_id",
                                                 "permission")))


# --------------------------------------------------------------- versions


def test_every_saved_change_is_a_version_and_an_old_one_can_be_restored(api_for, tenant_a, org):
    client = api_for(tenant_a, org.r1)
    created = client.post(DOCUMENTS, {"title": "East plan", "body": "Draft"}, format="json")
    assert created.status_code == 201, created.content
    url = f"{DOCUMENTS}{created.json()['id']}/"
    assert client.patch(url, {"body": "Second"}, format="json").json()["version"] == 2
    assert client.patch(url, {"title": "East plan 2026", "body": "Third"}, format="json").json()["version"] == 3
    assert client.patch(url, {"body": "Third"}, format="json").json()["version"] == 3  # nothing changed
    history = client.get(f"{url}versions/").json()
    assert [(v["number"], v["title"], v["author_name"]) for v in history["results"]] == [
        (3, "East plan 2026", "Ray One"), (2, "East plan", "Ray One"), (1, "East plan", "Ray One")]
    assert "body" not in history["results"][0]
    assert client.get(f"{url}versions/1/").json()["body"] == "Draft"
    assert client.get(f"{url}versions/9/").status_code == 404

    restored = client.post(f"{url}restore/", {"version": 1}, format="json")
    assert restored.status_code == 200, restored.content
    assert (restored.json()["version"], restored.json()["title"], restored.json()["body"]) == (4, "East plan", "Draft")
    newest = client.get(f"{url}versions/4/").json()
    assert (newest["restored_from"], newest["body"]) == (1, "Draft")
    assert error_of(client.post(f"{url}restore/", {"version": 4}, format="json"), 409)["code"] == "conflict"
    assert error_of(client.post(f"{url}restore/", {"version": 7}, format="json"), 400)["fields"] == {
        "version": ["There is no such version."]}
    with in_schema(tenant_a):
        assert DocumentVersion.objects.filter(document_id=created.json()["id"]).count() == 4
        messages = list(AuditEntry.objects.filter(object_id=created.json()["id"]).values_list("message", flat=True))
        assert "version 4: restored version 1" in messages
        assert all("Draft" not in str(entry.changes) for entry in AuditEntry.objects.filter(action="update"))


def test_version_pages_and_restore_from_the_page(web_for, tenant_a, org):
    with in_schema(tenant_a):
        document = services.document_create(by=org.r1, title="Plan", body="First text")
        services.document_update(document=document, by=org.r1, body="Second text")
    client = web_for(tenant_a, org.r1)
    history = client.get(f"/oa/documents/{document.pk}/versions/")
    assert history.status_code == 200 and history.content.decode().count("/versions/") >= 2
    old = client.get(f"/oa/documents/{document.pk}/versions/1/").content.decode()
    assert "First text" in old and "Restore this version" in old
    assert client.post(f"/oa/documents/{document.pk}/versions/1/restore/").status_code == 302
    with in_schema(tenant_a):
        document.refresh_from_db()
        assert (document.version, document.body) == (3, "First text")
    assert web_for(tenant_a, org.r2).get(f"/oa/documents/{document.pk}/versions/1/").status_code == 404


# ---------------------------------------------------------------- sharing


def test_sharing_with_a_department_reaches_its_members_not_a_peer(api_for, web_for, tenant_a, org):
    with in_schema(tenant_a):
        document = services.document_create(by=org.r1, title="Support handbook", body="Be kind.")
    owner = api_for(tenant_a, org.r1)
    shared = owner.post(SHARES, {"document": str(document.pk), "department": str(org.support.pk),
                                 "permission": "view"}, format="json")
    assert shared.status_code == 201, shared.content
    assert (shared.json()["department_name"], shared.json()["permission"]) == ("Support", "view")
    url = f"{DOCUMENTS}{document.pk}/"
    pat = api_for(tenant_a, org.p)
    assert pat.get(url).status_code == 200
    assert titles(pat.get(DOCUMENTS)) == ["Support handbook"]
    assert web_for(tenant_a, org.p).get(f"/oa/documents/{document.pk}/").status_code == 200
    with in_schema(tenant_a):
        notified = Notification.objects.filter(kind="oa.document").select_related("recipient")
        assert sorted(str(n.recipient) for n in notified) == ["Hana HR", "Pat Peer"]  # not Otto: no OA role
    # A peer in another department, with the same role and no share: nothing.
    rita = api_for(tenant_a, org.r2)
    assert rita.get(url).status_code == 404
    assert titles(rita.get(DOCUMENTS)) == []
    assert web_for(tenant_a, org.r2).get(f"/oa/documents/{document.pk}/").status_code == 404
    assert rita.get(f"{url}versions/").status_code == 404
    # The manager chain sees it through the data scope.
    assert api_for(tenant_a, org.m).get(url).status_code == 200
    # Viewing is not editing; an edit share is.
    before = snapshot(tenant_a)
    assert error_of(pat.patch(url, {"body": "Be rude."}, format="json"), 403)["code"] == "permission_denied"
    assert snapshot(tenant_a) == before
    owner.post(SHARES, {"document": str(document.pk), "user": str(org.p.pk), "permission": "edit"}, format="json")
    assert pat.patch(url, {"body": "Be kind and quick."}, format="json").json()["version"] == 2
    # Only the owner moves, shares and deletes.
    assert error_of(pat.post(SHARES, {"document": str(document.pk), "user": str(org.r2.pk)}, format="json"),
                    403)["code"] == "permission_denied"
    assert error_of(pat.delete(url), 403)["code"] == "permission_denied"
    share_id = owner.get(SHARES, {"document": str(document.pk)}).json()["results"][1]["id"]
    assert owner.delete(f"{SHARES}{share_id}/").status_code == 204
    assert error_of(pat.patch(url, {"body": "x"}, format="json"), 403)["code"] == "permission_denied"


def test_a_shared_folder_gives_access_to_everything_below(api_for, tenant_a, org):
    with in_schema(tenant_a):
        plans = services.folder_create(by=org.r1, name="Plans")
        q2 = services.folder_create(by=org.r1, name="Q2", parent=plans)
        document = services.document_create(by=org.r1, title="Q2 targets", folder=q2)
        services.document_create(by=org.r1, title="Private notes")
        services.share_grant(item=plans, by=org.r1, user=org.p, permission="view")
        top_folders, top_documents = selectors.folder_contents(user=org.p, folder=None)
        assert [f.name for f in top_folders] == ["Plans"]  # Q2 is inside Plans, which Pat sees
        assert list(top_documents) == []
        assert [f.name for f in selectors.folder_path(user=org.p, folder=q2)] == ["Plans", "Q2"]
    pat = api_for(tenant_a, org.p)
    assert titles(pat.get(DOCUMENTS)) == ["Q2 targets"]
    assert sorted(f["name"] for f in pat.get(FOLDERS).json()["results"]) == ["Plans", "Q2"]
    assert pat.get(f"{DOCUMENTS}{document.pk}/").status_code == 200
    refused = pat.post(DOCUMENTS, {"title": "Mine", "folder": str(q2.pk)}, format="json")
    assert error_of(refused, 400)["fields"] == {"folder": ["Choose a folder you can add to."]}
    with in_schema(tenant_a):
        services.share_grant(item=plans, by=org.r1, user=org.p, permission="edit")  # sharing again changes it
        assert Share.objects.filter(folder=plans).count() == 1
    added = pat.post(DOCUMENTS, {"title": "Pat's idea", "folder": str(q2.pk)}, format="json")
    assert added.status_code == 201, added.content
    # The folder's owner sees and edits what others put in it.
    ray = api_for(tenant_a, org.r1)
    assert ray.patch(f"{DOCUMENTS}{added.json()['id']}/", {"body": "Reviewed"}, format="json").status_code == 200


def test_folder_rules(api_for, tenant_a, org):
    client = api_for(tenant_a, org.r1)
    plans = client.post(FOLDERS, {"name": "Plans"}, format="json").json()
    inner = client.post(FOLDERS, {"name": "Inner", "parent": plans["id"]}, format="json").json()
    assert error_of(client.post(FOLDERS, {"name": "plans"}, format="json"), 400)["fields"] == {
        "name": ["There is already a folder with this name here."]}
    assert api_for(tenant_a, org.r2).post(FOLDERS, {"name": "Plans"}, format="json").status_code == 201
    loop = client.patch(f"{FOLDERS}{plans['id']}/", {"parent": inner["id"]}, format="json")
    assert error_of(loop, 400)["fields"] == {"parent": ["A folder cannot move into itself or into a folder inside it."]}
    assert error_of(client.delete(f"{FOLDERS}{plans['id']}/"), 409)["code"] == "conflict"
    assert client.delete(f"{FOLDERS}{inner['id']}/").status_code == 204
    assert client.delete(f"{FOLDERS}{plans['id']}/").status_code == 204
    hidden = client.post(DOCUMENTS, {"title": "x", "folder": str(api_for(tenant_a, org.r2).get(FOLDERS)
                                                                   .json()["results"][0]["id"])}, format="json")
    assert error_of(hidden, 400)["fields"]["folder"][0].startswith("Invalid pk")


# ------------------------------------------------------------ API refusals


def test_document_api_refusals(api_for, tenant_a, tenant_b, admin_b, org):
    client = api_for(tenant_a, org.r1)
    assert error_of(client.post(DOCUMENTS, {"title": "  "}, format="json"), 400)["fields"] == {
        "title": ["This field may not be blank."]}
    document = client.post(DOCUMENTS, {"title": "Plan"}, format="json").json()
    url = f"{DOCUMENTS}{document['id']}/"
    before = snapshot(tenant_a)
    assert error_of(api_for(tenant_a, org.outsider).get(DOCUMENTS), 403)["code"] == "permission_denied"
    assert error_of(api_for(tenant_a, org.outsider).get(SHARES), 403)["code"] == "permission_denied"
    assert error_of(api_for(tenant_a, org.r2).patch(url, {"title": "Mine"}, format="json"), 404)["code"] == "not_found"
    both = client.post(SHARES, {"document": document["id"], "user": str(org.p.pk), "department": str(org.east.pk)},
                       format="json")
    assert error_of(both, 400)["fields"] == {"user": ["Choose one person or one department."]}
    self_share = client.post(SHARES, {"document": document["id"], "user": str(org.r1.pk)}, format="json")
    assert error_of(self_share, 400)["fields"] == {"user": ["The owner already has full access."]}
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).get(url).status_code == 404
    assert snapshot(tenant_a) == before
    set_module(tenant_a, "oa", False)
    assert error_of(client.get(DOCUMENTS), 404)["code"] == "module_disabled"


def test_folder_and_share_api_refusals(api_for, tenant_a, tenant_b, admin_b, org):
    with in_schema(tenant_a):
        folder = services.folder_create(by=org.r1, name="Plans")
        share = services.share_grant(item=folder, by=org.r1, user=org.p, permission="view")
    before = snapshot(tenant_a)
    for path in (FOLDERS, SHARES):
        assert error_of(api_for(tenant_a, org.outsider).get(path), 403)["code"] == "permission_denied"
    rita = api_for(tenant_a, org.r2)
    assert error_of(rita.patch(f"{FOLDERS}{folder.pk}/", {"name": "Mine"}, format="json"), 404)["code"] == "not_found"
    assert error_of(rita.delete(f"{SHARES}{share.pk}/"), 404)["code"] == "not_found"
    assert error_of(api_for(tenant_a, org.p).delete(f"{SHARES}{share.pk}/"), 403)["code"] == "permission_denied"
    assert error_of(api_for(tenant_a, org.p).patch(f"{FOLDERS}{folder.pk}/", {"name": "Mine"}, format="json"),
                    403)["code"] == "permission_denied"
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).get(f"{FOLDERS}{folder.pk}/").status_code == 404
    assert api_for(tenant_b, admin_b).delete(f"{SHARES}{share.pk}/").status_code == 404
    assert snapshot(tenant_a) == before
    set_module(tenant_a, "oa", False)
    for path in (FOLDERS, SHARES):
        assert error_of(api_for(tenant_a, org.r1).get(path), 404)["code"] == "module_disabled"


def test_service_refusals_change_nothing(tenant_a, org):
    with in_schema(tenant_a):
        document = services.document_create(by=org.r1, title="Plan", body="Text")
        before = snapshot(tenant_a)
        with pytest.raises(DomainError) as too_long:
            services.document_update(document=document, by=org.r1, body="x" * 200_001)
        with pytest.raises(DomainError) as not_owner:
            services.document_delete(document=document, by=org.r2)
    assert too_long.value.fields == {"body": ["Use at most 200000 characters."]}
    assert not_owner.value.code == "permission_denied"
    assert snapshot(tenant_a) == before


# ------------------------------------------------------------------ pages


def test_document_pages_write_share_and_show_markdown_safely(web_for, tenant_a, org):
    client = web_for(tenant_a, org.r1)
    home = client.get("/oa/documents/")
    assert home.status_code == 200 and 'href="/oa/documents/"' in client.get("/").content.decode()
    assert client.post("/oa/documents/folders/new/", {"name": "Plans"}).status_code == 302
    with in_schema(tenant_a):
        plans = Folder.objects.get(name="Plans")
    created = client.post(f"/oa/documents/new/?folder={plans.pk}", {
        "title": "Plan", "folder": str(plans.pk),
        "body": "**Bold** <script>alert(1)</script> [click](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |"})
    assert created.status_code == 302, created.content
    with in_schema(tenant_a):
        document = Document.objects.get(title="Plan")
    page = client.get(f"/oa/documents/{document.pk}/").content.decode()
    assert "<strong>Bold</strong>" in page and "<td>1</td>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "Plans" in client.get(f"/oa/documents/folders/{plans.pk}/").content.decode()
    edited = client.post(f"/oa/documents/{document.pk}/edit/", {"title": "Plan", "body": "Short", "folder": ""})
    assert edited.status_code == 302
    shared = client.post(f"/oa/documents/{document.pk}/share/", {"user": str(org.p.pk), "permission": "view"})
    assert shared.status_code == 302
    refused = client.post(f"/oa/documents/{document.pk}/share/", {"permission": "view"})
    assert refused.status_code == 400 and "Choose one person or one department." in refused.content.decode()
    with in_schema(tenant_a):
        document.refresh_from_db()
        assert (document.version, document.folder_id, document.body) == (2, None, "Short")
        share = Share.objects.get(document=document)
    assert web_for(tenant_a, org.p).get(f"/oa/documents/{document.pk}/edit/").status_code == 200
    assert web_for(tenant_a, org.p).post(f"/oa/documents/{document.pk}/edit/", {
        "title": "Mine", "body": ""}).status_code == 400
    assert client.post(f"/oa/documents/shares/{share.pk}/revoke/").status_code == 302
    assert web_for(tenant_a, org.p).get(f"/oa/documents/{document.pk}/").status_code == 404
    assert web_for(tenant_a, org.r1).get("/oa/documents/?q=Short").content.decode().count(
        f"/oa/documents/{document.pk}/") == 1
    assert web_for(tenant_a, org.outsider).get("/oa/documents/").status_code == 403


def test_folder_pages(web_for, tenant_a, org):
    with in_schema(tenant_a):
        plans = services.folder_create(by=org.r1, name="Plans")
    client = web_for(tenant_a, org.r1)
    renamed = client.post(f"/oa/documents/folders/{plans.pk}/edit/", {"name": "Sales plans", "parent": ""})
    assert renamed.status_code == 302
    assert client.post(f"/oa/documents/folders/{plans.pk}/share/", {"department": str(org.east.pk),
                                                                      "permission": "edit"}).status_code == 302
    page = web_for(tenant_a, org.r2).get(f"/oa/documents/folders/{plans.pk}/").content.decode()
    assert "Sales plans" in page and "New document" in page and "Delete the folder" not in page
    assert client.post(f"/oa/documents/folders/{plans.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert not Folder.objects.filter(pk=plans.pk).exists()
    assert client.get("/oa/documents/new/?folder=not-an-id").status_code == 404


# ------------------------------------------------------------ query count


@pytest.mark.parametrize("path", [DOCUMENTS, FOLDERS, SHARES])
def test_list_query_count_does_not_grow(path, api_for, tenant_a, org, django_assert_max_num_queries):
    client = api_for(tenant_a, org.p)  # through shares: the heaviest filter
    with in_schema(tenant_a):
        first = services.folder_create(by=org.r1, name="F0")
        services.share_grant(item=services.document_create(by=org.r1, title="D0", folder=first), by=org.r1,
                             department=org.support, permission="view")
        services.share_grant(item=first, by=org.r1, user=org.p, permission="view")
    client.get(path)  # warm: tenant lookup cached, token last-used stamped
    with django_assert_max_num_queries(9) as one:
        assert client.get(path).status_code == 200
    with in_schema(tenant_a):
        for n in range(1, 12):
            folder = services.folder_create(by=org.r1, name=f"F{n}")
            document = services.document_create(by=org.r1, title=f"D{n}", folder=folder)
            services.share_grant(item=document, by=org.r1, user=org.p, permission="edit")
            services.share_grant(item=folder, by=org.r1, department=org.support, permission="view")
    with django_assert_max_num_queries(9) as many:
        body = client.get(path, {"page_size": 50}).json()
    assert body["count"] >= 12
    assert len(many.captured_queries) == len(one.captured_queries), [q["sql"] for q in many.captured_queries]


def test_document_page_list_query_count_does_not_grow(web_for, tenant_a, org, django_assert_max_num_queries):
    client = web_for(tenant_a, org.r1)
    with in_schema(tenant_a):
        services.document_create(by=org.r1, title="D0")
        services.folder_create(by=org.r1, name="F0")
    client.get("/oa/documents/")
    with django_assert_max_num_queries(30) as one:
        assert client.get("/oa/documents/").status_code == 200
    with in_schema(tenant_a):
        for n in range(1, 15):
            services.document_create(by=org.r1, title=f"D{n}")
            services.folder_create(by=org.r1, name=f"F{n}")
    with django_assert_max_num_queries(30) as many:
        assert client.get("/oa/documents/").content.decode().count("/oa/documents/folders/") >= 15
    assert len(many.captured_queries) == len(one.captured_queries)


def test_version_lists_query_count_does_not_grow(api_for, web_for, tenant_a, org, django_assert_max_num_queries):
    with in_schema(tenant_a):
        document = services.document_create(by=org.r1, title="Plan", body="v1")
    api, web = api_for(tenant_a, org.r1), web_for(tenant_a, org.r1)
    urls = [(api, f"{DOCUMENTS}{document.pk}/versions/"), (web, f"/oa/documents/{document.pk}/versions/")]
    for client, url in urls:
        client.get(url)
    counts = []
    for _round in range(2):
        for client, url in urls:
            with django_assert_max_num_queries(20) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        with in_schema(tenant_a):
            for n in range(2, 20):
                services.document_update(document=document, by=org.r1, body=f"v{n}")
    assert counts[:2] == counts[2:]
