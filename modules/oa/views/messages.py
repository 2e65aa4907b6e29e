"""Internal messages: inbox, sent box, write."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..forms import MessageForm
from ._common import PAGE_SIZE, form_page


@permission_required("oa.message.view")
def message_inbox(request):
    box = request.GET.get("box", "inbox")
    if box not in ("inbox", "sent"):
        raise Http404
    query = (request.GET.get("q") or "").strip()
    rows = selectors.message_list(user=request.user)
    rows = rows.filter(sender=request.user) if box == "sent" else rows.filter(recipients__user=request.user)
    if query:
        from django.db.models import Q

        rows = rows.filter(Q(subject__icontains=query) | Q(body__icontains=query)
                           | Q(sender__full_name__icontains=query))
    unread = set(selectors.inbox(user=request.user).filter(read_at__isnull=True).values_list("message_id", flat=True))
    return render(request, "oa/message_list.html", {
        "box": box, "q": query, "unread": unread,
        "page_obj": Paginator(rows.order_by("-sent_at"), PAGE_SIZE).get_page(request.GET.get("page")),
        "can_add": access_for(request.user).can("oa.message.add"),
    })


@permission_required("oa.message.view")
def message_detail(request, pk):
    message = get_object_or_404(selectors.message_list(user=request.user), pk=pk)
    services.message_mark_read(message=message, by=request.user)
    return render(request, "oa/message_detail.html", {"message": message})


@permission_required("oa.message.add")
@require_http_methods(["GET", "POST"])
def message_create(request):
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Message sent."))
            return redirect("oa:message-detail", pk=message.pk)
    return form_page(request, "oa/message_form.html", form)
