"""Knowledge base (知识库): nested categories and articles written in
Markdown (rendered without raw HTML). Company-wide: no data scope; drafts are
seen by their author and by editors (``crm.article.change``)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class ArticleCategory(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="crm_article_category_unique_name")]

    def __str__(self):
        return self.name


class Article(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: # headings, **bold**, lists, links, tables."))
    category = models.ForeignKey(ArticleCategory, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="articles", verbose_name=_("category"))
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=_("tags"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crm_articles",
                               verbose_name=_("author"))

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title
