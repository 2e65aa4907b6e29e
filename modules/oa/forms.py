"""Forms of the OA pages (formats only; the services hold the rules)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.org.models import Department

from .models import AnnouncementKind, InvitationResponse, LeaveKind, SharePermission

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people(label, required=False):
    return forms.ModelMultipleChoiceField(queryset=User.objects.filter(is_active=True), required=required,
                                          label=label, widget=forms.SelectMultiple(attrs={"size": 6}))


def _departments(label):
    return forms.ModelMultipleChoiceField(queryset=Department.objects.all(), required=False, label=label,
                                          widget=forms.SelectMultiple(attrs={"size": 4}))


class LeaveRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=LeaveKind.choices, label=_("Kind"))
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    days = forms.DecimalField(label=_("Days"), max_digits=5, decimal_places=1, required=False,
                              help_text=_("Leave empty to count every calendar day of the period."))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExpenseClaimForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    spent_on = forms.DateField(label=_("Spent on"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WorkLogForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    summary = forms.CharField(label=_("What I did"), widget=forms.Textarea(attrs={"rows": 5}))
    next_plan = forms.CharField(label=_("Next plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    remind_minutes = forms.IntegerField(label=_("Remind minutes before"), min_value=0, required=False)


class MessageForm(forms.Form):
    users = _people(_("To people"))
    departments = _departments(_("To departments"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(choices=AnnouncementKind.choices, label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    to_all = forms.BooleanField(label=_("Everyone"), required=False, initial=True)
    departments = _departments(_("Or these departments"))
    requires_ack = forms.BooleanField(label=_("Required reading (readers must acknowledge)"), required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    users = _people(_("Invite people"))
    departments = _departments(_("Invite departments"))
    remind_minutes = forms.IntegerField(label=_("Remind minutes before"), min_value=0, initial=15)


class RespondForm(forms.Form):
    response = forms.ChoiceField(choices=[(InvitationResponse.ACCEPTED, _("Accept")),
                                          (InvitationResponse.DECLINED, _("Decline"))])


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))


class FolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, folder):
        return f"{folder.parent} / {folder}" if folder.parent_id else str(folder)


def _folder_field(label, folders):
    """A choice of ``folders`` (those the person may add to), or the top level."""
    return FolderChoiceField(queryset=folders, required=False, label=label, empty_label=_("(top level)"))


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, folders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _folder_field(_("Inside"), folders)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 16}),
                           help_text=_("Markdown: # headings, **bold**, lists, links, tables."))

    def __init__(self, *args, folders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"] = _folder_field(_("Folder"), folders)


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), required=False, label=_("Person"))
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False,
                                        label=_("Or a department"))
    permission = forms.ChoiceField(choices=SharePermission.choices, label=_("Access"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
