from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("core.users.urls")),
    path("", include("core.modules.urls")),
    path("", views.home, name="home"),
]
