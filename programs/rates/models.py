"""The exchange-rate table kept by administrators (DESIGN.md rule 8): how many units of one
currency one unit of another was worth on a date, and who said so. Conversions read it through
programs.rates.services.RateBook only."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from programs.money import validate_currency

# Rates span from 1e-6 (a strong currency in a weak one's units, inverted) to 1e8.
RATE_DIGITS = 20
RATE_PLACES = 10


class ExchangeRate(TimeStampedModel):
    """On `date`, 1 `base_currency` = `rate` `quote_currency` (1 EUR = 1.0850 USD)."""

    base_currency = models.CharField(
        _("from currency"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217 code of the currency converted, e.g. EUR."),
    )
    quote_currency = models.CharField(
        _("to currency"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217 code of the currency it converts to, e.g. USD."),
    )
    date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=RATE_DIGITS,
        decimal_places=RATE_PLACES,
        validators=[MinValueValidator(Decimal("0.0000000001"))],
        help_text=_("Units of the second currency one unit of the first is worth."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the rate comes from, e.g. the central bank's reference rate."),
    )

    class Meta:
        ordering = ["base_currency", "quote_currency", "-date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["base_currency", "quote_currency", "date"],
                name="exchange_rate_unique_pair_date",
                violation_error_message=_("This pair already has a rate on this date."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("A rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(base_currency=F("quote_currency")),
                name="exchange_rate_two_currencies",
                violation_error_message=_("A rate converts between two different currencies."),
            ),
            models.CheckConstraint(
                condition=Q(base_currency__regex=r"^[A-Z]{3}$")
                & Q(quote_currency__regex=r"^[A-Z]{3}$"),
                name="exchange_rate_currencies_iso_4217",
            ),
        ]

    def __str__(self):
        return f"{self.base_currency}/{self.quote_currency} {self.date:%Y-%m-%d}: {self.rate}"

    def save(self, *args, **kwargs):
        self.base_currency = (self.base_currency or "").upper()
        self.quote_currency = (self.quote_currency or "").upper()
        super().save(*args, **kwargs)

    @property
    def pair(self) -> str:
        return f"{self.base_currency}/{self.quote_currency}"
