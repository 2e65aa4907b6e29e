"""The preferences form: one on/off box per kind and channel."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import kinds
from .models import Channel


def field_name(kind: str, channel: str) -> str:
    return f"{kind.replace('.', '__')}--{channel}"


class PreferencesForm(forms.Form):
    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in rows:
            names = {}
            for channel, label in Channel.choices:
                name = field_name(row["kind"], channel)
                self.fields[name] = forms.BooleanField(label=_("%(kind)s by %(channel)s")
                                                       % {"kind": row["label"], "channel": label},
                                                       required=False, initial=row[channel])
                names[channel] = name
            self.rows.append({**row, "fields": {channel: self[name] for channel, name in names.items()}})

    def choices(self) -> list[tuple[str, str, bool]]:
        """(kind, channel, enabled) for every box."""
        return [(spec.key, channel, self.cleaned_data[field_name(spec.key, channel)])
                for spec in kinds.all() for channel in Channel.values
                if field_name(spec.key, channel) in self.cleaned_data]
