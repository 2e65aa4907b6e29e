from django.urls import path

from tenants.support_views import support_enter

from . import views

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password-reset/", views.password_reset_view, name="password-reset"),
    path("accounts/invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("auth/handoff/", views.handoff_view, name="handoff"),
    path("auth/support/", support_enter, name="support-enter"),
]
