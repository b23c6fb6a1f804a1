"""Keyset pages of the rollup table: its order, a row's key in it, a page either way from a key,
and the key as the opaque cursor a page's links carry (never an OFFSET or a COUNT(*))."""

import base64
import binascii
import json

from django.db.models import Q

# KPI code, level (global down to cluster, selectors.LEVEL_ORDER), unit name, then the id.
KEYSET_ORDER = ["kpi__code", "level_rank", "unit_sort", "pk"]


def keyset_key(row) -> list:
    """A row's place in KEYSET_ORDER (a cluster row, not stored, is told apart by its unit)."""
    return [row.kpi.code, row.level_rank, row.unit_sort, row.pk or row.unit_id]


def _beyond(key: list, *, forward: bool) -> Q:
    """Rows after (or before) the key in the list's order, for keyset pages."""
    op = "gt" if forward else "lt"
    code, rank, name, pk = key
    return (
        Q(**{f"kpi__code__{op}": code})
        | Q(kpi__code=code, **{f"level_rank__{op}": rank})
        | Q(kpi__code=code, level_rank=rank, **{f"unit_sort__{op}": name})
        | Q(kpi__code=code, level_rank=rank, unit_sort=name, **{f"pk__{op}": pk})
    )


def page(queryset, *, after: list | None, before: list | None, size: int):
    """One keyset page of a queryset (stored rows) or of a list in KEYSET_ORDER (cluster rows,
    computed): (rows, has_previous, has_next)."""
    if isinstance(queryset, list):
        return _list_page(queryset, after=after, before=before, size=size)
    if before is not None:
        rows = list(
            queryset.filter(_beyond(before, forward=False)).order_by(
                *(f"-{field}" for field in KEYSET_ORDER)
            )[: size + 1]
        )
        has_previous = len(rows) > size
        return rows[:size][::-1], has_previous, True
    if after is not None:
        queryset = queryset.filter(_beyond(after, forward=True))
    rows = list(queryset.order_by(*KEYSET_ORDER)[: size + 1])
    return rows[:size], after is not None, len(rows) > size


def _list_page(rows: list, *, after: list | None, before: list | None, size: int):
    if before is not None:
        earlier = [r for r in rows if keyset_key(r) < before]
        return earlier[-size:], len(earlier) > size, True
    if after is not None:
        rows = [r for r in rows if keyset_key(r) > after]
    return rows[:size], after is not None, len(rows) > size


def encode_cursor(row) -> str:
    """The row's key as a cursor for a URL (`?after=` / `?before=`)."""
    return base64.urlsafe_b64encode(json.dumps(keyset_key(row)).encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> list | None:
    """The key a cursor holds, or None when there is none or it is not one of ours (a cursor
    is read from the query string: anything may come)."""
    if not raw:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error):
        return None
    if (
        isinstance(key, list)
        and len(key) == 4
        and isinstance(key[0], str)
        and isinstance(key[2], str)
        and all(isinstance(k, int) and not isinstance(k, bool) for k in (key[1], key[3]))
    ):
        return key
    return None
