"""Knowledge base: category tree rules, articles (tags, publishing, drafts
seen by author and editors only), search in title and text (Chinese too),
safe Markdown, the API (happy, 400, 403, 404, module disabled, other tenant,
query count) and pages."""

import itertools
from types import SimpleNamespace

import pytest

from core.errors import DomainError, ErrorCode
from core.org.models import DataScope
from modules.crm import selectors, services
from modules.crm.models import Article, ArticleCategory
from tests.factories import RoleFactory
from web.templatetags.weft import markdown

from .conftest import in_schema, set_module
from .test_pipeline_api import error_of

ARTICLES = "/api/v1/crm/articles/"
CATEGORIES = "/api/v1/crm/knowledge-categories/"


@pytest.fixture
def kb(tenant_a, admin_a, make_user, crm_on):
    """An editor (crm.article.*), an author (view + add) and a reader (view);
    categories 产品 › 泵; a published article and a draft of the author."""
    with in_schema(tenant_a):
        editor_role = RoleFactory(permissions=[f"crm.article.{a}" for a in ("view", "add", "change", "delete")],
                                  data_scope=DataScope.OWN)
        author_role = RoleFactory(permissions=["crm.article.view", "crm.article.add"], data_scope=DataScope.OWN)
        reader_role = RoleFactory(permissions=["crm.article.view"], data_scope=DataScope.OWN)
    editor = make_user(tenant_a, roles=[editor_role], full_name="Eve Editor")
    author = make_user(tenant_a, roles=[author_role], full_name="Al Author")
    reader = make_user(tenant_a, roles=[reader_role], full_name="Rob Reader")
    with in_schema(tenant_a):
        products = services.article_category_create(by=editor, name="产品")
        pumps = services.article_category_create(by=editor, name="泵", parent=products)
        published = services.article_create(by=editor, title="离心泵维护指南", category=pumps, is_published=True,
                                            body="# 维护\n\n每三个月更换一次**机械密封**。", tags=["泵", "维护", "泵 "])
        draft = services.article_create(by=author, title="Seal replacement draft", body="Work in progress")
    return SimpleNamespace(editor=editor, author=author, reader=reader, admin=admin_a, products=products,
                           pumps=pumps, published=published, draft=draft)


def kb_of(tenant):
    with in_schema(tenant):
        return (sorted(ArticleCategory.objects.values_list("id", "name", "parent_id")),
                sorted(Article.objects.values_list("id", "title", "is_published", "tags")))


# ------------------------------------------------------------------ rules


def test_categories_form_a_tree_without_cycles_or_twin_siblings(tenant_a, kb):
    with in_schema(tenant_a):
        before = kb_of(tenant_a)
        with pytest.raises(DomainError) as cycle:
            services.article_category_update(category=kb.products, by=kb.editor, parent=kb.pumps)
        assert cycle.value.fields == {
            "parent": ["A category cannot be placed under itself or one of its sub-categories."]}
        with pytest.raises(DomainError) as twin:
            services.article_category_create(by=kb.editor, name="泵", parent=kb.products)
        assert twin.value.fields == {"name": ["Another category under the same parent has this name."]}
        with pytest.raises(DomainError) as busy:
            services.article_category_delete(category=kb.products, by=kb.editor)
        assert busy.value.code == ErrorCode.CONFLICT
        assert kb_of(tenant_a) == before
        assert [(c.name, depth) for c, depth in selectors.article_category_tree(user=kb.reader)] == [
            ("产品", 0), ("泵", 1)]


def test_tags_are_trimmed_and_deduplicated_and_publishing_is_stamped(tenant_a, kb):
    assert kb.published.tags == ["泵", "维护"] and kb.published.published_at is not None
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as bad:
            services.article_create(by=kb.editor, title=" ", body="x", tags=["x" * 41])
        assert bad.value.fields == {"title": ["This field is required."],
                                    "tags": ["A tag has at most 40 characters."]}
        draft = services.article_update(article=kb.draft, by=kb.editor, is_published=True, tags="Seal, seal,  ")
        assert (draft.is_published, draft.tags, draft.published_at is not None) == (True, ["Seal"], True)


def test_drafts_are_seen_by_their_author_and_editors_only(tenant_a, kb):
    with in_schema(tenant_a):
        def titles(user):
            return sorted(a.title for a in selectors.article_list(user=user))

        assert titles(kb.reader) == ["离心泵维护指南"]
        assert titles(kb.author) == ["Seal replacement draft", "离心泵维护指南"]
        assert titles(kb.editor) == titles(kb.admin) == ["Seal replacement draft", "离心泵维护指南"]


@pytest.mark.parametrize(("query", "found"), [
    ("机械密封", ["离心泵维护指南"]),  # Chinese, in the text
    ("维护", ["离心泵维护指南"]),  # Chinese, in the title
    ("SEAL", ["Seal replacement draft"]),  # case-insensitive
    ("progress", ["Seal replacement draft"]),
    ("没有", []),
])
def test_search_in_title_and_text(tenant_a, kb, query, found):
    from modules.crm.filters import ArticleFilterSet

    with in_schema(tenant_a):
        filterset = ArticleFilterSet({"q": query}, queryset=selectors.article_list(user=kb.editor))
        assert sorted(a.title for a in filterset.qs) == found


def test_markdown_is_rendered_without_raw_html_or_script_links():
    html = markdown("# 标题\n\n<script>alert(1)</script> **粗体** [x](javascript:alert(1)) [ok](https://example.com)")
    assert "<h1>标题</h1>" in html and "<strong>粗体</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="https://example.com"' in html


# -------------------------------------------------------------------- API


def test_api_articles_and_categories(api_for, tenant_a, kb):
    editor = api_for(tenant_a, kb.editor)
    category = editor.post(CATEGORIES, {"name": "服务", "parent": str(kb.products.pk)}, format="json")
    assert category.status_code == 201, category.content
    created = editor.post(ARTICLES, {"title": "保修政策", "body": "两年保修", "category": category.json()["id"],
                                     "tags": ["保修"], "is_published": True}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["category_name"], data["tags"], data["author_name"], data["published_at"] is not None) == (
        "服务", ["保修"], "Eve Editor", True)
    reader = api_for(tenant_a, kb.reader)
    assert [a["title"] for a in reader.get(ARTICLES, {"q": "保修"}).json()["results"]] == ["保修政策"]
    assert reader.get(ARTICLES, {"category": str(kb.products.pk)}).json()["count"] == 2  # includes sub-categories
    assert reader.get(ARTICLES, {"tag": "维护"}).json()["count"] == 1
    assert sorted((c["name"], c["article_count"]) for c in reader.get(CATEGORIES).json()["results"]) == sorted([
        ("产品", 0), ("服务", 1), ("泵", 1)])
    url = f"{ARTICLES}{data['id']}/"
    assert editor.patch(url, {"is_published": False}, format="json").json()["is_published"] is False
    assert reader.get(url).status_code == 404  # a draft again
    assert error_of(editor.delete(f"{CATEGORIES}{category.json()['id']}/"), 409)["code"] == "conflict"
    assert editor.delete(url).status_code == 204


def test_api_validation_errors(api_for, tenant_a, kb):
    editor = api_for(tenant_a, kb.editor)
    before = kb_of(tenant_a)
    assert set(error_of(editor.post(ARTICLES, {"title": "", "body": ""}, format="json"), 400)["fields"]) == {
        "title", "body"}
    assert list(error_of(editor.post(ARTICLES, {"title": "x", "body": "y", "tags": ["t"] * 21}, format="json"),
                         400)["fields"]) == ["tags"]
    assert error_of(editor.patch(f"{CATEGORIES}{kb.products.pk}/", {"parent": str(kb.pumps.pk)}, format="json"),
                    400)["fields"] == {"parent": [
                        "A category cannot be placed under itself or one of its sub-categories."]}
    assert kb_of(tenant_a) == before


def test_api_permission_denied(api_for, tenant_a, kb, make_user):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.customer.view"], data_scope=DataScope.ALL)
    nobody = api_for(tenant_a, make_user(tenant_a, roles=[role]))
    reader = api_for(tenant_a, kb.reader)
    author = api_for(tenant_a, kb.author)
    url = f"{ARTICLES}{kb.published.pk}/"
    before = kb_of(tenant_a)
    for response in (nobody.get(ARTICLES), nobody.get(url), nobody.get(CATEGORIES),
                     reader.post(ARTICLES, {"title": "x", "body": "y"}, format="json"),
                     reader.post(CATEGORIES, {"name": "x"}, format="json"),
                     author.patch(url, {"title": "x"}, format="json"), author.delete(url),
                     author.patch(f"{CATEGORIES}{kb.pumps.pk}/", {"name": "x"}, format="json")):
        assert error_of(response, 403)["code"] == "permission_denied"
    assert kb_of(tenant_a) == before


def test_api_drafts_other_tenant_and_module_disabled(api_for, tenant_a, tenant_b, admin_b, kb):
    reader = api_for(tenant_a, kb.reader)
    draft = f"{ARTICLES}{kb.draft.pk}/"
    assert error_of(reader.get(draft), 404)["code"] == "not_found"  # a draft is not the reader's to see
    set_module(tenant_b, "crm", True)
    other = api_for(tenant_b, admin_b)
    before = kb_of(tenant_a)
    for response in (other.get(f"{ARTICLES}{kb.published.pk}/"), other.delete(f"{CATEGORIES}{kb.pumps.pk}/"),
                     other.patch(draft, {"title": "x"}, format="json")):
        assert error_of(response, 404)["code"] == "not_found"
    assert other.get(ARTICLES).json()["count"] == 0
    assert list(error_of(other.post(ARTICLES, {"title": "x", "body": "y", "category": str(kb.pumps.pk)},
                                    format="json"), 400)["fields"]) == ["category"]
    set_module(tenant_a, "crm", False)
    for response in (reader.get(ARTICLES), reader.get(f"{ARTICLES}{kb.published.pk}/"), reader.get(CATEGORIES)):
        assert error_of(response, 404)["code"] == "module_disabled"
    set_module(tenant_a, "crm", True)
    assert kb_of(tenant_a) == before


@pytest.mark.parametrize("url", [ARTICLES, CATEGORIES])
def test_list_query_counts_do_not_grow(url, api_for, tenant_a, kb, django_assert_max_num_queries):
    client = api_for(tenant_a, kb.reader)
    start = client.get(url).json()["count"]

    names = itertools.count()

    def fill(n):
        with in_schema(tenant_a):
            for _ in range(n):
                i = next(names)
                category = ArticleCategory.objects.create(name=f"C{i}", parent=kb.products)
                Article.objects.create(title=f"A{i}", body="b", category=category, author=kb.editor,
                                       is_published=True, tags=["t"])

    fill(1)
    with django_assert_max_num_queries(8) as one:
        assert client.get(url).json()["count"] == start + 1
    fill(29)
    with django_assert_max_num_queries(8) as many:
        assert len(client.get(url, {"page_size": 50}).json()["results"]) == start + 30
    assert len(many.captured_queries) == len(one.captured_queries)


# ------------------------------------------------------------------ pages


def test_knowledge_pages(web_for, tenant_a, kb):
    reader = web_for(tenant_a, kb.reader)
    listing = reader.get("/crm/knowledge/", {"q": "机械密封"})
    html = listing.content.decode()
    assert listing.status_code == 200 and "离心泵维护指南" in html and "Seal replacement draft" not in html
    assert "<script>" not in html and 'style="' not in html
    detail = reader.get(f"/crm/knowledge/{kb.published.pk}/").content.decode()
    assert "<strong>机械密封</strong>" in detail
    assert reader.get(f"/crm/knowledge/{kb.draft.pk}/").status_code == 404
    assert reader.get("/crm/knowledge/new/").status_code == 403
    assert reader.get("/crm/knowledge/categories/").status_code == 200
    author = web_for(tenant_a, kb.author)
    refused = author.post("/crm/knowledge/new/", {"title": "T", "body": "", "tags": ""})
    assert refused.status_code == 400 and list(refused.context["form"].errors) == ["body"]
    created = author.post("/crm/knowledge/new/", {"title": "安装步骤", "body": "1. 固定底座", "tags": "安装, 泵",
                                                  "category": str(kb.pumps.pk)})
    assert created.status_code == 302
    with in_schema(tenant_a):
        article = Article.objects.get(title="安装步骤")
    assert (article.tags, article.is_published, article.author_id) == (["安装", "泵"], False, kb.author.pk)
    assert author.get(f"/crm/knowledge/{article.pk}/edit/").status_code == 403
    editor = web_for(tenant_a, kb.editor)
    assert editor.post(f"/crm/knowledge/{article.pk}/edit/", {
        "title": "安装步骤", "body": "1. 固定底座\n2. 接管", "tags": "安装", "is_published": "on"}).status_code == 302
    assert editor.post("/crm/knowledge/categories/new/", {"name": "服务"}).status_code == 302
    twin = editor.post("/crm/knowledge/categories/new/", {"name": "服务"})
    assert twin.status_code == 400 and list(twin.context["form"].errors) == ["name"]
    edit_page = editor.get(f"/crm/knowledge/categories/{kb.products.pk}/edit/")
    assert [label for _value, label in edit_page.context["form"].fields["parent"].choices] == ["---------", "服务"]
    assert editor.post(f"/crm/knowledge/categories/{kb.products.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert ArticleCategory.objects.filter(pk=kb.products.pk).exists()  # refused: it has a sub-category
    assert editor.post(f"/crm/knowledge/{article.pk}/delete/").status_code == 302
