"""CRM pages, included from web/urls.py under ``crm/``. The namespace is the
module key, so the module guard answers 404 while CRM is switched off."""

from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/export/", views.customer_export, name="customer-export"),
    path("customers/<uuid:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<uuid:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("customers/<uuid:pk>/delete/", views.customer_delete, name="customer-delete"),
    path("customers/<uuid:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("opportunities/", views.opportunity_list, name="opportunity-list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity-create"),
    path("opportunities/<uuid:pk>/", views.opportunity_detail, name="opportunity-detail"),
    path("opportunities/<uuid:pk>/edit/", views.opportunity_edit, name="opportunity-edit"),
    path("quotes/", views.quote_list, name="quote-list"),
    path("quotes/new/", views.quote_create, name="quote-create"),
    path("quotes/<uuid:pk>/", views.quote_detail, name="quote-detail"),
    path("quotes/<uuid:pk>/edit/", views.quote_edit, name="quote-edit"),
    path("quotes/<uuid:pk>/print/", views.quote_print, name="quote-print"),
    path("quotes/<uuid:pk>/submit/", views.quote_submit, name="quote-submit"),
    path("quotes/<uuid:pk>/withdraw/", views.quote_withdraw, name="quote-withdraw"),
    path("quotes/<uuid:pk>/won/", views.quote_won, name="quote-won"),
    path("quotes/<uuid:pk>/lost/", views.quote_lost, name="quote-lost"),
    path("quotes/<uuid:pk>/copy/", views.quote_copy, name="quote-copy"),
    path("quotes/<uuid:pk>/delete/", views.quote_delete, name="quote-delete"),
    path("follow-ups/", views.follow_up_list, name="followup-list"),
    path("follow-ups/new/", views.follow_up_create, name="followup-create"),
    path("reassignments/", views.reassignment_list, name="reassignment-list"),
    path("reassignments/<uuid:pk>/", views.reassignment_detail, name="reassignment-detail"),
]
