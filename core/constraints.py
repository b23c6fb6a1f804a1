"""A model's check constraints evaluated in Python, so that checking many rows costs no query.

Django's `Model.validate_constraints()` asks the database once per constraint and row
(`SELECT 1 WHERE <condition>`); a set-wise service that checks a thousand rows cannot pay that.
`validate_constraints()` here gives the same answer and the same errors for the conditions it
can read: `Q` trees (and, or, not) of field lookups `exact`, `gt`, `gte`, `lt`, `lte`, `in`,
`isnull` and `regex`, against plain values or `F()` of another field. It keeps the database's
three-valued logic: a comparison with NULL is unknown, and an unknown condition passes (Django
wraps the condition in `COALESCE(..., TRUE)`, as a CHECK constraint does). `regex` is Python's
`re.search`, which is what Django's SQLite backend runs. Any other constraint (a unique one, a
condition with functions) is left to Django, with its query.
"""

import operator
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint, F, Model, Q


class _Unreadable(Exception):
    """The condition uses something this module does not evaluate: ask the database."""


class _Excluded(Exception):
    """The condition names a field left out of the check (Django skips such a constraint)."""


_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _lookup(name: str, expected, values: dict) -> bool | None:
    field, _sep, lookup = name.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise _Unreadable  # a transform or a related field
    if field not in values:
        raise _Excluded
    value = values[field]
    of_field = isinstance(expected, F)
    if of_field:
        if expected.name not in values:
            raise _Excluded
        expected = values[expected.name]
    elif hasattr(expected, "resolve_expression"):
        raise _Unreadable
    if lookup == "exact" and expected is None and not of_field:
        lookup, expected = "isnull", True  # Django reads `field=None` as IS NULL
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if value is None or expected is None:
        return None  # a comparison with NULL is unknown
    if lookup == "in":
        if any(item is None or hasattr(item, "resolve_expression") for item in expected):
            raise _Unreadable
        return value in expected
    if lookup == "regex":
        return re.search(expected, str(value)) is not None
    compare = _COMPARE.get(lookup)
    if compare is None:
        raise _Unreadable
    return compare(value, expected)


def _holds(node, values: dict) -> bool | None:
    """The condition's truth: True, False or None (unknown: a NULL took part)."""
    if not isinstance(node, Q):
        if not isinstance(node, tuple):
            raise _Unreadable  # an expression, e.g. a function call
        return _lookup(node[0], node[1], values)
    results = [_holds(child, values) for child in node.children]
    if node.connector == Q.AND:
        truth = False if False in results else (None if None in results else True)
    elif node.connector == Q.OR:
        truth = True if True in results else (None if None in results else False)
    else:
        raise _Unreadable  # XOR
    if node.negated and truth is not None:
        truth = not truth
    return truth


def _values(instance: Model, exclude: set[str]) -> dict:
    """What Django puts beside the condition: each local field's value by name, and pk."""
    values = {
        field.name: getattr(instance, field.attname)
        for field in instance._meta.local_concrete_fields
        if field.name not in exclude and not field.generated
    }
    if "pk" not in exclude:
        values["pk"] = instance.pk
    return values


def validate_constraints(instance: Model, *, exclude: set[str] | None = None) -> None:
    """`instance.validate_constraints(exclude)`, without a query for the conditions it reads."""
    exclude = set(exclude or ())
    values = None
    errors: dict = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, CheckConstraint):
                    values = _values(instance, exclude) if values is None else values
                    try:
                        truth = _holds(Q(constraint.condition), values)
                    except _Excluded:  # Django skips a constraint on a field left out
                        continue
                    except _Unreadable:
                        constraint.validate(model_class, instance, exclude=exclude)
                        continue
                    if truth is False:  # unknown passes, as COALESCE(condition, TRUE)
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                else:
                    constraint.validate(model_class, instance, exclude=exclude)
            except ValidationError as error:
                fields = getattr(constraint, "fields", ())
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def full_clean(instance: Model, *, known_relations: frozenset[str] = frozenset()) -> None:
    """`instance.full_clean()` without its queries: the foreign keys named in
    `known_relations` are taken as existing (the caller looked them up, many rows at once),
    and the check constraints are evaluated in Python. Same errors, in the same order."""
    errors: dict = {}
    try:
        instance.full_clean(
            exclude=known_relations, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # Then, as Model.full_clean does, the unique checks and the constraints on the fields
    # that passed.
    try:
        instance.validate_unique(exclude={name for name in errors if name != NON_FIELD_ERRORS})
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        validate_constraints(instance, exclude={n for n in errors if n != NON_FIELD_ERRORS})
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
