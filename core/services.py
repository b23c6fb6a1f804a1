"""Generic write helpers used by every app's services."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, data: dict[str, Any], fields: list[str]) -> tuple[M, bool]:
    """Set the allowed fields present in data, validate, save; return (instance, changed)."""
    changed = []
    m2m = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = data[name]
            continue
        if getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean()
        instance.save(update_fields=[*changed, *_auto_now_fields(instance)])
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance, bool(changed or m2m)


def model_create(*, model: type[M], data: dict[str, Any]) -> M:
    """Build a model from plain and many-to-many values, validate, save."""
    plain = {k: v for k, v in data.items() if not model._meta.get_field(k).many_to_many}
    m2m = {k: v for k, v in data.items() if model._meta.get_field(k).many_to_many}
    instance = model(**plain)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance


def _auto_now_fields(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
