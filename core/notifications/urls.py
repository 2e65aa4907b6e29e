"""Notification pages, included from web/urls.py under ``notifications/``."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<uuid:pk>/read/", views.mark_read, name="read"),
]
