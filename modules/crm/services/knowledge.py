"""Knowledge base (知识库): categories and articles.

Rules:
- categories form a tree without cycles; siblings have different names
  (case-insensitive); a category holding sub-categories or articles cannot be
  deleted (409);
- an article has a title and a text; tags are trimmed, de-duplicated
  (case-insensitive, first spelling kept), at most 20 of at most 40 characters;
- publishing stamps ``published_at`` (the first time); unpublishing makes it a
  draft again, seen only by its author and by editors.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.services import audit_record, changes_between, update_audited
from core.errors import DomainError, ErrorCode
from core.trees import subtree_ids

from ..models import Article, ArticleCategory
from ._common import raise_if, text

CATEGORY_FIELDS = ("name", "parent")
ARTICLE_FIELDS = ("title", "body", "category", "tags", "is_published")
MAX_TAGS = 20
TAG_LIMIT = 40


# ------------------------------------------------------------------ categories


def _clean_category(data: dict, *, category: ArticleCategory | None) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "name", 120, required=True)
    name = data.get("name", getattr(category, "name", ""))
    parent = data.get("parent", getattr(category, "parent", None))
    if "name" not in errors:
        siblings = ArticleCategory.objects.filter(parent=parent, name__iexact=name)
        if category is not None:
            siblings = siblings.exclude(pk=category.pk)
        if siblings.exists():
            errors["name"] = [_("Another category under the same parent has this name.")]
    if category is not None and parent is not None and ArticleCategory.objects.filter(
            pk=parent.pk).filter(pk__in=subtree_ids(ArticleCategory, category)).exists():
        errors["parent"] = [_("A category cannot be placed under itself or one of its sub-categories.")]
    raise_if(errors)
    return data


@transaction.atomic
def article_category_create(*, by, name: str, parent: ArticleCategory | None = None) -> ArticleCategory:
    data = _clean_category({"name": name, "parent": parent}, category=None)
    category = ArticleCategory.objects.create(**data)
    audit_record(actor=by, action="create", obj=category, changes=data)
    return category


@transaction.atomic
def article_category_update(*, category: ArticleCategory, by, **data) -> ArticleCategory:
    unknown = set(data) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"article_category_update() got unexpected fields {sorted(unknown)}")
    category = ArticleCategory.objects.select_for_update().get(pk=category.pk)
    data = _clean_category(data, category=category)
    return update_audited(category, data, by=by)


@transaction.atomic
def article_category_delete(*, category: ArticleCategory, by) -> None:
    category = ArticleCategory.objects.select_for_update().get(pk=category.pk)
    if category.children.exists():
        raise DomainError(_("Move or delete the sub-categories of “%(name)s” first.") % {"name": category.name},
                          code=ErrorCode.CONFLICT)
    if category.articles.exists():
        raise DomainError(_("Move the articles of “%(name)s” to another category first.") % {"name": category.name},
                          code=ErrorCode.CONFLICT)
    audit_record(actor=by, action="delete", obj=category, changes={"name": category.name})
    category.delete()


# ------------------------------------------------------------------ articles


def _clean_tags(tags, errors: dict) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: dict[str, str] = {}
    for tag in tags or ():
        tag = str(tag).strip()
        if not tag:
            continue
        if len(tag) > TAG_LIMIT:
            errors["tags"] = [_("A tag has at most %(n)d characters.") % {"n": TAG_LIMIT}]
        seen.setdefault(tag.casefold(), tag)
    if len(seen) > MAX_TAGS:
        errors["tags"] = [_("Use at most %(n)d tags.") % {"n": MAX_TAGS}]
    return list(seen.values())


def _clean_article(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "title", 200, required=True)
    text(data, errors, "body", 100000, required=True)
    if "tags" in data:
        data["tags"] = _clean_tags(data["tags"], errors)
    if "is_published" in data:
        data["is_published"] = bool(data["is_published"])
    raise_if(errors)
    return data


@transaction.atomic
def article_create(*, by, title: str, body: str, category: ArticleCategory | None = None, tags=(),
                   is_published: bool = False) -> Article:
    data = _clean_article({"title": title, "body": body, "category": category, "tags": tags,
                           "is_published": is_published})
    article = Article.objects.create(author=by, published_at=timezone.now() if data["is_published"] else None,
                                     **data)
    audit_record(actor=by, action="create", obj=article, changes=data)
    return article


@transaction.atomic
def article_update(*, article: Article, by, **data) -> Article:
    unknown = set(data) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"article_update() got unexpected fields {sorted(unknown)}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    data = _clean_article(data)
    changes = changes_between(article, data)
    if not changes:
        return article
    for field, value in data.items():
        setattr(article, field, value)
    if article.is_published and article.published_at is None:
        article.published_at = timezone.now()
    article.save()
    message = ("published" if article.is_published else "unpublished") if "is_published" in changes else ""
    audit_record(actor=by, action="update", obj=article, changes=changes, message=message)
    return article


@transaction.atomic
def article_delete(*, article: Article, by) -> None:
    article = Article.objects.select_for_update().get(pk=article.pk)
    audit_record(actor=by, action="delete", obj=article, changes={"title": article.title})
    article.delete()
