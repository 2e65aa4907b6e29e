"""The audit log page (same filters as the API)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from core.org.webutils import permission_required

from . import selectors
from .filters import AuditEntryFilterSet

PAGE_SIZE = 50


@permission_required("core.audit.view")
def entry_list(request):
    filterset = AuditEntryFilterSet(request.GET, queryset=selectors.audit_list(user=request.user), request=request)
    valid = filterset.is_valid()
    entries = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, selectors.change_rows(entry)) for entry in page.object_list]
    return render(request, "audit/entry_list.html", {"filter": filterset, "page_obj": page, "rows": rows},
                  status=200 if valid else 400)
