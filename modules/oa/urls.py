"""OA pages, included from web/urls.py under ``oa/``. The namespace is the
module key, so the module guard answers 404 while OA is switched off."""

from django.urls import path

from . import views

app_name = "oa"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/new/", views.event_create, name="event-create"),
    path("calendar/<uuid:pk>/", views.event_detail, name="event-detail"),
    path("calendar/<uuid:pk>/delete/", views.event_delete, name="event-delete"),
    path("work-logs/", views.worklog_list, name="worklog-list"),
    path("work-logs/new/", views.worklog_create, name="worklog-create"),
    path("work-logs/<uuid:pk>/", views.worklog_detail, name="worklog-detail"),
    path("work-logs/<uuid:pk>/edit/", views.worklog_edit, name="worklog-edit"),
    path("messages/", views.message_inbox, name="message-inbox"),
    path("messages/new/", views.message_create, name="message-create"),
    path("messages/<uuid:pk>/", views.message_detail, name="message-detail"),
    path("announcements/", views.announcement_list, name="announcement-list"),
    path("announcements/new/", views.announcement_create, name="announcement-create"),
    path("announcements/<uuid:pk>/", views.announcement_detail, name="announcement-detail"),
    path("announcements/<uuid:pk>/acknowledge/", views.announcement_acknowledge, name="announcement-acknowledge"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<uuid:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<uuid:pk>/respond/", views.meeting_respond, name="meeting-respond"),
    path("meetings/<uuid:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("meetings/<uuid:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("leave/", views.leave_list, name="leave-list"),
    path("leave/new/", views.leave_create, name="leave-create"),
    path("leave/<uuid:pk>/", views.leave_detail, name="leave-detail"),
    path("leave/<uuid:pk>/edit/", views.leave_edit, name="leave-edit"),
    path("leave/<uuid:pk>/submit/", views.leave_submit, name="leave-submit"),
    path("leave/<uuid:pk>/withdraw/", views.leave_withdraw, name="leave-withdraw"),
    path("expenses/", views.expense_list, name="expense-list"),
    path("expenses/new/", views.expense_create, name="expense-create"),
    path("expenses/<uuid:pk>/", views.expense_detail, name="expense-detail"),
    path("expenses/<uuid:pk>/edit/", views.expense_edit, name="expense-edit"),
    path("expenses/<uuid:pk>/submit/", views.expense_submit, name="expense-submit"),
    path("expenses/<uuid:pk>/withdraw/", views.expense_withdraw, name="expense-withdraw"),
]
