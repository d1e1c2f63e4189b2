"""`get_FOO_display()` without rebuilding the choices on every call.

Django's `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on every call, and
hashing each lazy label translates it: a list of 200 cases spent most of its rendering there. A model
that inherits `ChoiceLabels` keeps one value -> label map per field (the labels stay lazy, so the
active language still decides the text).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str

_LABELS: dict[models.Field[Any, Any], dict[Any, Any]] = {}


class ChoiceLabels:
    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        labels = _LABELS.get(field)
        if labels is None:
            labels = dict(field.flatchoices)
            _LABELS[field] = labels
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value has no label
            label = value
        return force_str(label, strings_only=True)
