"""Reads of the exchange-rate table (the page, its downloads and the API share them)."""

from django.db.models import QuerySet

from programs.models import Program
from programs.rates.models import ExchangeRate


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    """Every rate, by pair and newest first (a stable order: the id breaks ties)."""
    return ExchangeRate.objects.order_by("base_currency", "quote_currency", "-date", "-pk")


def conversion_currencies() -> list[str]:
    """The currencies a total may be shown in: those of the programs and of the rate table
    (any other one could convert nothing). One query."""
    programs = Program.objects.order_by().values_list("currency")
    bases = ExchangeRate.objects.order_by().values_list("base_currency")
    quotes = ExchangeRate.objects.order_by().values_list("quote_currency")
    return sorted(code for (code,) in programs.union(bases, quotes))
