from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ACTIONS, ModuleSpec, NavItem, registry

CRUD = ("view", "add", "change", "delete", "export")


class CrmConfig(AppConfig):
    name = "modules.crm"
    label = "crm"
    verbose_name = _("CRM")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="crm",
                name=_("CRM"),
                description=_("Customers, opportunities, quotes, follow-ups and leads."),
                dependencies=(),
                nav=(
                    NavItem(_("Customers"), "crm:customer-list", "crm.customer.view"),
                    NavItem(_("Opportunities"), "crm:opportunity-list", "crm.opportunity.view"),
                    NavItem(_("Pipeline"), "crm:pipeline-board", "crm.opportunity.view"),
                    NavItem(_("Pipeline analysis"), "crm:pipeline-analysis", "crm.opportunity.view"),
                    NavItem(_("Quotes"), "crm:quote-list", "crm.quote.view"),
                    NavItem(_("Follow-ups"), "crm:followup-list", "crm.followup.view"),
                    NavItem(_("Web leads"), "crm:lead-list", "crm.lead.view"),
                    NavItem(_("Reassign customers"), "crm:reassignment-list", "crm.customer.change"),
                    NavItem(_("Competitors"), "crm:competitor-list", "crm.competitor.view"),
                    NavItem(_("Complaints"), "crm:complaint-list", "crm.complaint.view"),
                    NavItem(_("Knowledge base"), "crm:article-list", "crm.article.view"),
                ),
                objects={
                    "customer": ACTIONS,
                    "contact": CRUD,
                    "opportunity": CRUD,
                    "followup": CRUD,
                    "quote": ACTIONS,
                    "lead": ("view", "change", "delete", "export"),
                    "bid": CRUD,
                    "competitor": CRUD,
                    "complaint": CRUD,
                    "article": ("view", "add", "change", "delete"),
                },
            )
        )
        self._register_quote_approval()
        from core.notifications.kinds import NotificationKind, kinds

        kinds.register(NotificationKind(
            "crm.complaint", _("Complaints"), _("A complaint or feedback was assigned to you."),
        ))
        kinds.register(NotificationKind(
            "crm.follow_up", _("Follow-up reminders"), _("The next action of a follow-up on your customer is due."),
        ))
        kinds.register(NotificationKind(
            "crm.stale_opportunity", _("Stale opportunities"),
            _("Your (or your team's) open opportunities have had no follow-up for the configured number of days."),
        ))
        kinds.register(NotificationKind(
            "crm.web_lead", _("Web leads"),
            _("An enquiry from the public order form is waiting for you, or a lead was qualified into a customer "
              "or opportunity you own."),
        ))

    @staticmethod
    def _register_quote_approval():
        from django.urls import reverse

        from core.approvals.registry import DocumentType, document_types

        from . import selectors
        from .services import quotes

        document_types.register(DocumentType(
            key="crm.quote", model="crm.Quote", title=_("Quote"), module="crm",
            queryset=lambda user: selectors.quote_list(user=user, permission="crm.quote.change"),
            amount=lambda quote: (quote.total, quote.currency),
            describe=lambda quote: f"{quote.number} {quote.title} ({quote.customer.name})",
            url=lambda quote: reverse("crm:quote-detail", args=[quote.pk]),
            on_submitted=quotes.quote_on_submitted, on_approved=quotes.quote_on_approved,
            on_rejected=quotes.quote_on_rejected, on_returned=quotes.quote_on_returned,
            on_withdrawn=quotes.quote_on_withdrawn,
        ))
