"""Audit log page, included from web/urls.py under ``audit/``."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry-list"),
]
