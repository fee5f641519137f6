"""No lost updates: optimistic concurrency for every edit form in the case workspace.

Each editable record carries a ``version``. An edit form (``VersionedForm``) posts back the version
it was opened on, plus a signed fingerprint of the values it showed. ``save_versioned`` claims the
record with ``UPDATE ... WHERE version = <seen>`` (atomic on SQLite and PostgreSQL alike): if
someone else saved first, nothing is written and ``EditConflict`` lists the fields they changed, with
their value and yours. The view shows that and re-arms the form on the new version, so saving again
is a deliberate choice made with the other person's change in view.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core.forms import GovUKModelForm

_SALT = "harbour.core.versioning"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    theirs: str
    yours: str


class EditConflict(Exception):
    """Someone saved the record after this form was opened; nothing was written."""

    def __init__(
        self,
        current_version: int,
        changes: list[Change],
        fingerprint: str,
        *,
        created_meanwhile: bool = False,
    ) -> None:
        self.current_version = current_version
        self.changes = changes
        self.fingerprint = fingerprint
        self.created_meanwhile = created_meanwhile
        super().__init__(f"edit conflict: {len(changes)} field(s) changed")


def _digest(value: Any) -> str:
    if isinstance(value, models.Model):
        value = value.pk
    elif isinstance(value, list | tuple | set | models.QuerySet):
        value = sorted(str(getattr(v, "pk", v)) for v in value)
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


class VersionedForm(GovUKModelForm):
    """A model form that remembers which version (and which values) it was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, lock: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock: Any = lock if lock is not None else self.instance
        self.fields["version"].initial = getattr(self.lock, "version", 0) if self.lock.pk else 0
        self.fields["seen"].initial = self.fingerprint(self.instance)

    def edited_fields(self) -> list[str]:
        return [name for name in self.fields if name not in ("version", "seen")]

    def fingerprint(self, obj: models.Model) -> str:
        values = {name: _digest(self._value(obj, name)) for name in self.edited_fields()}
        return signing.dumps(values, salt=_SALT, compress=True)

    def _value(self, obj: models.Model, name: str) -> Any:
        try:
            field: Any = obj._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a form-only field
            return None
        if field.many_to_many:
            return list(getattr(obj, name).all()) if obj.pk else []
        value = field.value_from_object(obj)  # a foreign key gives its id, set or not
        if field.is_relation and value is not None:
            return field.related_model._base_manager.filter(pk=value).first()
        return value

    def display(self, obj: models.Model, name: str, *, from_form: bool = False) -> str:
        value = self.cleaned_data.get(name) if from_form else self._value(obj, name)
        field = self.fields[name]
        if isinstance(value, models.QuerySet):
            value = list(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if value in (None, "", []):
            return "(blank)"
        choices = dict(getattr(field, "choices", []) or [])
        if choices and not isinstance(value, list | models.Model):
            return str(choices.get(value, choices.get(str(value), value)))
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return str(value)

    def rearm(self, conflict: EditConflict) -> None:
        """After a conflict: keep the user's values, move the form onto the current version."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(conflict.current_version)
        data[self.add_prefix("seen")] = conflict.fingerprint
        self.data = data


def save_versioned(
    form: VersionedForm,
    *,
    by: Any,
    verb: str,
    audit_obj: models.Model | None = None,
    request: HttpRequest | None = None,
    prepare: Callable[[Any], None] | None = None,
    after: Callable[[Any], None] | None = None,
) -> models.Model:
    """Save a valid ``VersionedForm`` unless its record changed since it was opened.

    ``prepare(instance)`` runs before the save (set owner fields); ``after(instance)`` runs after it,
    in the same transaction (snapshots, identifiers). The audit row names the changed fields only.
    """
    instance: models.Model = form.instance
    lock = form.lock
    seen_version = form.cleaned_data.get("version") or 0
    changed = [name for name in form.changed_data if name not in ("version", "seen")]
    with transaction.atomic():
        if lock.pk is not None:
            model = type(lock)
            claimed = model._base_manager.filter(pk=lock.pk, version=seen_version).update(
                version=F("version") + 1
            )
            if not claimed:
                raise _conflict(form, model._base_manager.get(pk=lock.pk))
            lock.version = seen_version + 1
        if prepare is not None:
            prepare(instance)
        if lock is instance:
            form.instance.version = lock.version if lock.pk else 1
        if instance.pk is None:
            # A one-per-case record someone else created since this form was opened.
            try:
                with transaction.atomic():
                    instance = form.save()
            except IntegrityError:
                raise EditConflict(0, [], "", created_meanwhile=True) from None
        else:
            instance = form.save()
        if after is not None:
            after(instance)
        record(
            actor=by,
            verb=verb,
            obj=audit_obj if audit_obj is not None else instance,
            request=request,
            payload={"fields": sorted(changed), "record": str(getattr(instance, "audit_id", ""))},
        )
    return instance


def _conflict(form: VersionedForm, current_lock: Any) -> EditConflict:
    """What the other person changed, compared with what this form was opened on."""
    try:
        seen = signing.loads(form.cleaned_data.get("seen") or "", salt=_SALT)
    except signing.BadSignature:
        seen = {}
    current = current_lock
    if type(form.instance) is not type(current_lock):
        current = type(form.instance)._base_manager.get(pk=form.instance.pk)
    changes = []
    for name in form.edited_fields():
        theirs_value = form._value(current, name)
        if seen.get(name) != _digest(theirs_value):
            changes.append(
                Change(
                    field=name,
                    label=str(form.fields[name].label or name),
                    theirs=form.display(current, name),
                    yours=form.display(current, name, from_form=True),
                )
            )
    return EditConflict(current_lock.version, changes, form.fingerprint(current))


def edit_page(
    request: HttpRequest,
    form: VersionedForm,
    *,
    template: str,
    context: dict[str, Any],
    success_url: str,
    verb: str,
    audit_obj: models.Model | None = None,
    success_message: str = "Saved",
    prepare: Callable[[Any], None] | None = None,
    after: Callable[[Any], None] | None = None,
) -> HttpResponse:
    """The POST/GET handling shared by every edit page: save, or show the conflict."""
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(
                form,
                by=request.user,
                verb=verb,
                audit_obj=audit_obj,
                request=request,
                prepare=prepare,
                after=after,
            )
        except EditConflict as exc:
            conflict = exc
            if not exc.created_meanwhile:
                form.rearm(exc)
            record(
                actor=request.user,
                verb=AuditVerb.EDIT_CONFLICT,
                obj=audit_obj if audit_obj is not None else form.instance,
                request=request,
                payload={"fields": [c.field for c in exc.changes]},
            )
        else:
            messages.success(request, success_message)
            return redirect(success_url)
    return render(request, template, {**context, "form": form, "conflict": conflict})
