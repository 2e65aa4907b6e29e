from django.urls import path

from . import views_admin

app_name = "users"

urlpatterns = [
    path("settings/users/", views_admin.user_list, name="user-list"),
    path("settings/users/invite/", views_admin.user_invite, name="user-invite"),
    path("settings/users/<uuid:pk>/edit/", views_admin.user_edit, name="user-edit"),
    path("settings/users/<uuid:pk>/deactivate/", views_admin.user_deactivate, name="user-deactivate"),
    path("settings/tokens/", views_admin.token_list, name="token-list"),
    path("settings/tokens/<uuid:pk>/revoke/", views_admin.token_revoke, name="token-revoke"),
]
