from django.shortcuts import render


def landing(request):
    return render(request, "tenants/landing.html")


def signup(request):
    return render(request, "tenants/signup.html")


def workspace_login(request):
    return render(request, "tenants/workspace_login.html")
