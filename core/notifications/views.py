"""The notification inbox and preferences: a person only ever sees and
changes their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm

PAGE_SIZE = 25


@login_required
def inbox(request):
    notifications = selectors.notification_list(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page, "unread_only": unread_only})


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one notification read; with ``open`` set, go on to what it is about."""
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if request.POST.get("open") and notification.link:
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, rows=selectors.preference_rows(user=request.user))
    if request.method == "POST" and form.is_valid():
        for kind, channel, enabled in form.choices():
            services.preference_set(user=request.user, kind=kind, channel=channel, enabled=enabled)
        messages.success(request, _("Notification preferences saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
