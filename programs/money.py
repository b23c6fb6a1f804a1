"""Money helpers: the currencies a program may hold and the one disbursement-rate formula.

Amounts are always Decimal and always travel with their currency (DESIGN.md rule 8); nothing
here converts between currencies.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Active ISO 4217 codes a program can be denominated in (precious metals, test and "no
# currency" codes left out). XDR is kept: some multilateral loans are in special drawing rights.
# fmt: off
ISO_4217 = frozenset(
    (
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
        "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
        "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
        "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
        "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
        "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
        "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
        "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
        "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
        "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
        "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
        "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
        "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XDR", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
        "ZWL",
    )
)
# fmt: on

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


def validate_currency(value: str) -> None:
    """Refuse anything that is not an active ISO 4217 code (upper case, three letters)."""
    if value not in ISO_4217:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (e.g. USD, EUR, ARS)."),
            code="invalid_currency",
            params={"value": value},
        )


def disbursement_rate(disbursed: Decimal | None, approved: Decimal | None) -> Decimal | None:
    """Disbursed / funder-approved amount, as a fraction; None when nothing was approved.

    The same formula serves one program and a portfolio (sums of both, per currency), so a
    program without disbursements counts as zero disbursed rather than being left out.
    """
    if not approved:
        return None
    return (disbursed or Decimal(0)) / approved
