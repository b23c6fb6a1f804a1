"""Exchange rates: keeping the table (one rate, or a spreadsheet of them) and the one conversion.

Conversion (DESIGN.md rule 8), the only place an amount changes currency:
- An amount converts at the latest rate on or before its own date (a disbursement on
  2024-03-10 between rates of 2024-03-01 and 2024-04-01 takes the one of 2024-03-01).
- The pair is looked up as stored (from -> to); when no rate of that pair exists on or before
  the date, the reverse pair's latest rate on or before it is used inverted (1 / rate), and the
  conversion says so. There is no cross rate through a third currency: EUR -> ARS needs an
  EUR/ARS (or ARS/EUR) rate, not EUR/USD and USD/ARS.
- An amount already in the wanted currency converts at 1, without a rate.
- Without a rate, MissingRate names the pair and the date; nothing is guessed.
Amounts are converted exactly (Decimal); a total rounds to cents once, after the sum.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.services import model_create, model_update
from core.sheets import (
    ImportProblem,
    ImportResult,
    SheetRefused,
    cell_date,
    header_columns,
    sheet_table,
)
from programs.rates.models import ExchangeRate

RATE_FIELDS = ["base_currency", "quote_currency", "date", "rate", "source"]
ONE = Decimal(1)
# Digits kept when a rate is inverted: far beyond the ten places a rate is stored with.
_PRECISION = 40

# The spreadsheet's columns: key (what the first row may hold), label (or this, in either
# language). The template is a CSV of these keys.
IMPORT_COLUMNS = (
    ("base_currency", gettext_lazy("From currency")),
    ("quote_currency", gettext_lazy("To currency")),
    ("date", gettext_lazy("Date")),
    ("rate", gettext_lazy("Rate")),
    ("source", gettext_lazy("Source")),
)
IMPORT_KEYS = [key for key, _label in IMPORT_COLUMNS]
IMPORT_REQUIRED = ("base_currency", "quote_currency", "date", "rate")
MAX_IMPORT_ROWS = 5000


# --- The conversion -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RateUsed:
    """A stored rate a conversion used; `inverted` when the reverse pair served (1 / rate)."""

    base_currency: str
    quote_currency: str
    date: datetime.date
    rate: Decimal
    source: str = ""
    inverted: bool = False

    @property
    def pair(self) -> str:
        return f"{self.base_currency}/{self.quote_currency}"

    @property
    def factor(self) -> Decimal:
        """What an amount is multiplied by."""
        if not self.inverted:
            return self.rate
        with localcontext(prec=_PRECISION):
            return ONE / self.rate


class MissingRate(Exception):
    """No rate of a pair (or its reverse) on or before a date."""

    def __init__(self, from_currency: str, to_currency: str, on: datetime.date):
        self.from_currency, self.to_currency, self.on = from_currency, to_currency, on
        super().__init__(str(self))

    def __str__(self) -> str:
        return _(
            "No exchange rate from %(from)s to %(to)s (nor from %(to)s to %(from)s) on or "
            "before %(date)s."
        ) % {"from": self.from_currency, "to": self.to_currency, "date": self.on.isoformat()}

    @property
    def pair(self) -> str:
        return f"{self.from_currency}/{self.to_currency}"


class RateBook:
    """The stored rates between some currencies and one target currency, read in one query, so
    that converting many amounts asks the database once."""

    def __init__(self, *, currencies: Iterable[str], to: str):
        self.to = to
        self.currencies = frozenset(currencies)
        others = sorted(self.currencies - {to})
        rows = ExchangeRate.objects.filter(
            Q(base_currency__in=others, quote_currency=to)
            | Q(base_currency=to, quote_currency__in=others)
        ).order_by("date")
        self._pairs: dict[tuple[str, str], list[ExchangeRate]] = defaultdict(list)
        for row in rows:
            self._pairs[row.base_currency, row.quote_currency].append(row)
        self._dates = {pair: [r.date for r in rates] for pair, rates in self._pairs.items()}

    def _latest(self, base: str, quote: str, on: datetime.date) -> ExchangeRate | None:
        dates = self._dates.get((base, quote), [])
        index = bisect.bisect_right(dates, on)
        return self._pairs[base, quote][index - 1] if index else None

    def rate(self, from_currency: str, on: datetime.date) -> RateUsed:
        """The rate that converts `from_currency` to the book's currency on a date."""
        direct = self._latest(from_currency, self.to, on)
        if direct is not None:
            return _used(direct, inverted=False)
        reverse = self._latest(self.to, from_currency, on)
        if reverse is not None:
            return _used(reverse, inverted=True)
        raise MissingRate(from_currency, self.to, on)


def _used(row: ExchangeRate, *, inverted: bool) -> RateUsed:
    return RateUsed(row.base_currency, row.quote_currency, row.date, row.rate, row.source, inverted)


def convert(
    amount: Decimal,
    *,
    from_currency: str,
    to_currency: str,
    on: datetime.date,
    book: RateBook | None = None,
) -> tuple[Decimal, RateUsed | None]:
    """The amount in `to_currency` at the latest rate on or before `on` (the reverse pair
    inverted when only it is stored), and the rate used (None for the same currency).
    MissingRate names the pair and date when no rate serves. Pass a `book` (RateBook) to
    convert many amounts with one query."""
    if from_currency == to_currency:
        return amount, None
    if book is None or book.to != to_currency or from_currency not in book.currencies:
        book = RateBook(currencies=[from_currency], to=to_currency)  # never a false "missing"
    used = book.rate(from_currency, on)
    with localcontext(prec=_PRECISION):
        return amount * used.factor, used


# --- Keeping the table ------------------------------------------------------------------------


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    data = {name: value for name, value in data.items() if name in RATE_FIELDS}
    for name in ("base_currency", "quote_currency"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip().upper()
    return data


@transaction.atomic
def exchange_rate_create(*, data: dict[str, Any]) -> ExchangeRate:
    """Record the rate of a pair on a date."""
    return model_create(model=ExchangeRate, data=_normalised(data))


@transaction.atomic
def exchange_rate_update(*, rate: ExchangeRate, data: dict[str, Any]) -> ExchangeRate:
    """Correct a stored rate (its pair, date, rate or source)."""
    return model_update(instance=rate, data=_normalised(data), fields=RATE_FIELDS)[0]


@transaction.atomic
def exchange_rate_delete(*, rate: ExchangeRate) -> None:
    rate.delete()


# --- The spreadsheet import -------------------------------------------------------------------


def _not_a_sheet() -> str:
    return _("Upload the exchange rates as an .xlsx or a .csv file.")


def _cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def _cell_rate(value) -> Decimal:
    """A rate cell: a number, with "." (or a lone ",") as decimal mark. A float from a workbook
    is taken by its shortest text (0.92 stays 0.92, not its binary neighbour)."""
    text = repr(value) if isinstance(value, float) else _cell_text(value)
    text = text.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Enter the rate as a number, e.g. 1.0850.")) from None
    if not rate.is_finite():
        raise ValueError(_("Enter the rate as a number, e.g. 1.0850."))
    return rate


def _rows(table) -> list[tuple[int, dict]]:
    columns = header_columns(table[0][1], IMPORT_COLUMNS, IMPORT_REQUIRED)
    rows = []
    for number, values in table[1:]:
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(_cell_text(v) == "" for v in raw.values()):
            continue
        rows.append((number, raw))
        if len(rows) > MAX_IMPORT_ROWS:
            raise SheetRefused(_("Import at most %(n)d rates at a time.") % {"n": MAX_IMPORT_ROWS})
    if not rows:
        raise SheetRefused(_("The file has no rates below its first row."))
    return rows


def _row_rate(number: int, raw: dict) -> tuple[ExchangeRate, list[ImportProblem]]:
    """The row as an unsaved rate, with the problems of its cells and of the model's checks."""
    data, problems = {}, []
    for key in ("base_currency", "quote_currency"):
        data[key] = _cell_text(raw.get(key)).upper()
    data["source"] = _cell_text(raw.get("source"))
    for key, read in (("date", cell_date), ("rate", _cell_rate)):
        try:
            data[key] = read(raw.get(key))
        except ValueError as error:
            problems.append(ImportProblem(str(error), number, key))
    rate = ExchangeRate(**data)
    failed = [problem.field for problem in problems]
    errors = []
    try:
        # a pair and date already stored is no error here: the import replaces its rate
        rate.full_clean(exclude=failed, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.append(error)
    for constraint in ExchangeRate._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            try:
                constraint.validate(ExchangeRate, rate, exclude=failed)
            except ValidationError as error:
                errors.append(error)
    for error in errors:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for key, messages in by_field.items():
            field = None if key in (None, NON_FIELD_ERRORS) else key
            problems.extend(ImportProblem(message, number, field) for message in messages)
    return rate, problems


@transaction.atomic
def exchange_rates_import(*, file) -> ImportResult:
    """Record every rate of the spreadsheet, or none when any row is wrong (every problem is
    said, by row). A pair and date already stored takes the file's rate and source (so a
    corrected file can be imported again); the same pair and date twice in one file is an
    error. Columns: IMPORT_COLUMNS (keys or labels); one query reads the stored rates."""
    try:
        rows = _rows(sheet_table(file, wrong_kind=_not_a_sheet(), max_columns=20))
    except SheetRefused as refusal:
        return ImportResult(errors=[ImportProblem(str(refusal))])
    problems: list[ImportProblem] = []
    rates: list[tuple[int, ExchangeRate]] = []
    first_row: dict[tuple, int] = {}
    for number, raw in rows:
        rate, row_problems = _row_rate(number, raw)
        key = (rate.base_currency, rate.quote_currency, rate.date)
        if not row_problems and key in first_row:
            message = _("Row %(row)d already gives this pair's rate on this date.") % {
                "row": first_row[key]
            }
            row_problems.append(ImportProblem(message, number, "date"))
        first_row.setdefault(key, number)
        problems.extend(row_problems)
        rates.append((number, rate))
    if problems:
        return ImportResult(errors=problems)
    stored = {
        (r.base_currency, r.quote_currency, r.date): r
        for r in ExchangeRate.objects.filter(
            base_currency__in={r.base_currency for _n, r in rates},
            quote_currency__in={r.quote_currency for _n, r in rates},
            date__in={r.date for _n, r in rates},
        )
    }
    new, changed, now = [], [], timezone.now()
    for _number, rate in rates:
        old = stored.get((rate.base_currency, rate.quote_currency, rate.date))
        if old is None:
            new.append(rate)
        elif (old.rate, old.source) != (rate.rate, rate.source):
            old.rate, old.source, old.updated_at = rate.rate, rate.source, now
            changed.append(old)
    ExchangeRate.objects.bulk_create(new)
    ExchangeRate.objects.bulk_update(changed, ["rate", "source", "updated_at"])
    return ImportResult(saved=len(rates))
