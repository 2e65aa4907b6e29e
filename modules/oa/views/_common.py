"""Helpers shared by the OA pages."""

from django.shortcuts import render

PAGE_SIZE = 25


def form_page(request, template, form, context=None):
    """The form page, answering 400 when the form has errors."""
    return render(request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200)
