from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("settings/departments/", views.department_list, name="department-list"),
    path("settings/departments/new/", views.department_create, name="department-create"),
    path("settings/departments/<uuid:pk>/edit/", views.department_edit, name="department-edit"),
    path("settings/departments/<uuid:pk>/delete/", views.department_delete, name="department-delete"),
    path("settings/roles/", views.role_list, name="role-list"),
    path("settings/roles/new/", views.role_create, name="role-create"),
    path("settings/roles/<uuid:pk>/edit/", views.role_edit, name="role-edit"),
    path("settings/roles/<uuid:pk>/delete/", views.role_delete, name="role-delete"),
]
