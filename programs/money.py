"""Money helpers: amounts with their places and the one disbursement-rate formula (which
currencies exist is core.currencies).

Amounts are always Decimal and always travel with their currency (DESIGN.md rule 8); nothing
here converts between currencies.
"""

from decimal import ROUND_HALF_UP, Decimal

from core.currencies import validate_currency  # noqa: F401 (the models and migrations name it here)

# Amount columns: up to 10^14 with cents; enough for any program and any currency.
AMOUNT_DIGITS = 16
AMOUNT_PLACES = 2


def cents(value: Decimal | None) -> Decimal:
    """An amount with its two places, whatever the database returned (SQLite drops trailing
    zeros of computed sums: 50 rather than 50.00)."""
    return (value or Decimal(0)).quantize(Decimal(1).scaleb(-AMOUNT_PLACES), ROUND_HALF_UP)


def as_percent(rate: Decimal | None, places: int = 1) -> Decimal | None:
    """A 0..1 rate as a percentage rounded half up (0.51875 -> 51.9), for pages and downloads."""
    if rate is None:
        return None
    return (rate * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def disbursement_rate(disbursed: Decimal | None, approved: Decimal | None) -> Decimal | None:
    """Disbursed / funder-approved amount, as a fraction; None when nothing was approved.

    The same formula serves one program and a portfolio (sums of both, per currency), so a
    program without disbursements counts as zero disbursed rather than being left out.
    """
    if not approved:
        return None
    return (disbursed or Decimal(0)) / approved
