"""The exchange-rate API (/api/v1/exchange-rates/): everyone signed in reads the table, only
administrators change it; writes go through programs.rates.services."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.permissions import SignedInReadAdminWrite
from core.api import ServiceModelViewSet
from programs.money import validate_currency
from programs.rates import selectors, services
from programs.rates.models import RATE_DIGITS, RATE_PLACES, ExchangeRate


def _currency(value: str) -> str:
    value = value.strip().upper()  # "eur" is plainly meant as EUR
    try:
        validate_currency(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error
    return value


class ExchangeRateSerializer(serializers.ModelSerializer):
    """On `date`, 1 `base_currency` is worth `rate` `quote_currency` (a rate, not a
    percentage)."""

    base_currency = serializers.CharField(
        max_length=3, help_text=_("ISO 4217 code of the currency converted, e.g. EUR.")
    )
    quote_currency = serializers.CharField(
        max_length=3, help_text=_("ISO 4217 code of the currency it converts to, e.g. USD.")
    )
    rate = serializers.DecimalField(
        max_digits=RATE_DIGITS,
        decimal_places=RATE_PLACES,
        min_value=ExchangeRate._meta.get_field("rate").validators[0].limit_value,
        help_text=_("Units of the second currency one unit of the first is worth."),
    )

    class Meta:
        model = ExchangeRate
        fields = ["id", *services.RATE_FIELDS]

    def validate_base_currency(self, value: str) -> str:
        return _currency(value)

    def validate_quote_currency(self, value: str) -> str:
        return _currency(value)

    def validate(self, attrs):
        base = attrs.get("base_currency", getattr(self.instance, "base_currency", None))
        quote = attrs.get("quote_currency", getattr(self.instance, "quote_currency", None))
        if base and base == quote:
            raise serializers.ValidationError(
                {"quote_currency": _("A rate converts between two different currencies.")}
            )
        return attrs


class ExchangeRateFilter(django_filters.FilterSet):
    base_currency = django_filters.CharFilter(lookup_expr="iexact", label=_("From currency"))
    quote_currency = django_filters.CharFilter(lookup_expr="iexact", label=_("To currency"))
    after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ExchangeRate
        fields = ["base_currency", "quote_currency", "after", "before"]


class ExchangeRateViewSet(ServiceModelViewSet):
    """The exchange-rate table: newest first by pair. A rate converts amounts dated on or after
    it until the pair's next rate (see the portfolio's `?currency=`)."""

    serializer_class = ExchangeRateSerializer
    permission_classes = [SignedInReadAdminWrite]
    filterset_class = ExchangeRateFilter
    ordering_fields = ["date", "base_currency", "quote_currency"]

    def get_queryset(self):
        return selectors.exchange_rate_list()

    def create_object(self, data):
        return services.exchange_rate_create(data=data)

    def update_object(self, instance, data):
        return services.exchange_rate_update(rate=instance, data=data)

    def perform_destroy(self, instance):
        services.exchange_rate_delete(rate=instance)
