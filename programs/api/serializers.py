"""Serializers for programs and their money (explicit fields; amounts as decimal strings)."""

from decimal import ROUND_HALF_UP

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin, programs_in_scope
from clusters.models import MEMBER_FIELDS, Country
from core.api import PercentField
from programs.models import (
    Component,
    Disbursement,
    Enrolment,
    Program,
    StrategicCommitteeMember,
)
from programs.money import AMOUNT_DIGITS, AMOUNT_PLACES, validate_currency
from programs.rates.models import RATE_DIGITS, RATE_PLACES
from programs.selectors import ConvertedTotal
from programs.services import PROGRAM_FIELDS


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=AMOUNT_DIGITS + 4,
        decimal_places=AMOUNT_PLACES,
        rounding=ROUND_HALF_UP,
        **kwargs,
    )


def _rate(**kwargs) -> PercentField:
    """disbursed / funder amount, in percent; null when the funder approved nothing."""
    return PercentField(source="disbursement_rate", allow_null=True, **kwargs)


class ProgramSerializer(serializers.ModelSerializer):
    """A program with its money; status and its dates change through the transition action."""

    countries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Country.objects.all(), required=False
    )
    currency = serializers.CharField(
        max_length=3, required=False, help_text=_("ISO 4217 code, e.g. USD; USD by default.")
    )
    status = serializers.CharField(read_only=True)
    approval_date = serializers.DateField(read_only=True, allow_null=True)
    execution_date = serializers.DateField(read_only=True, allow_null=True)
    closing_date = serializers.DateField(read_only=True, allow_null=True)
    disbursed = _money(read_only=True)
    disbursement_rate_percent = _rate(read_only=True)

    class Meta:
        model = Program
        # what a write may set, then what only the transitions and disbursements change
        fields = [
            "id",
            *PROGRAM_FIELDS,
            "status",
            "approval_date",
            "execution_date",
            "closing_date",
            "disbursed",
            "disbursement_rate_percent",
        ]

    def validate_currency(self, value: str) -> str:
        value = value.strip().upper()  # "usd" is plainly meant as USD
        try:
            validate_currency(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    def validate(self, attrs):
        # the database constraint says the same; here the answer names the field
        total = attrs.get("total_amount", getattr(self.instance, "total_amount", None))
        funder = attrs.get("funder_amount", getattr(self.instance, "funder_amount", None))
        if total is not None and funder is not None and funder > total:
            raise serializers.ValidationError(
                {"funder_amount": _("The funder amount cannot exceed the total amount.")}
            )
        return attrs


class ComponentSerializer(serializers.ModelSerializer):
    disbursed = _money(read_only=True)

    class Meta:
        model = Component
        fields = ["id", "name", "description", "budget", "disbursed"]


class EnrolledClusterSerializer(serializers.ModelSerializer):
    cluster_code = serializers.CharField(source="cluster.code", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    country = serializers.CharField(source="cluster.country.code", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "cluster",
            "cluster_code",
            "cluster_name",
            "country",
            "enrolled_from",
            "enrolled_until",
        ]


class EnrolmentSerializer(ScopedRelationsMixin, EnrolledClusterSerializer):
    """A cluster's enrolment in a program, from a date until a date (null: still enrolled).

    The program is one of the user's (another id answers 404); a program officer enrols only
    active clusters of the program's countries (programs.services, the pages' rule too)."""

    scoped_relations = {"program": programs_in_scope}

    class Meta(EnrolledClusterSerializer.Meta):
        fields = ["id", "program", *EnrolledClusterSerializer.Meta.fields]


class StrategicCommitteeMemberSerializer(serializers.ModelSerializer):
    # plain text in the schema: the same choices as a steering committee member's role, and a
    # second enum named "role" would make drf-spectacular's enum names collide (W001)
    role = serializers.CharField(read_only=True)

    class Meta:
        model = StrategicCommitteeMember
        fields = ["id", *MEMBER_FIELDS]


class ProgramDetailSerializer(ProgramSerializer):
    components = ComponentSerializer(many=True, read_only=True)
    enrolments = EnrolledClusterSerializer(many=True, read_only=True)
    committee_members = StrategicCommitteeMemberSerializer(many=True, read_only=True)

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "components", "enrolments", "committee_members"]


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Program.Status.choices)
    on = serializers.DateField(
        required=False,
        help_text=_(
            "Date of the approval, start of execution or closing, as it happened (not in the "
            "future, not before the previous step); today by default."
        ),
    )


def _components_of_the_program(queryset, serializer):
    return queryset.filter(program=serializer.context.get("program"))


class DisbursementSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A disbursement of the program in the URL; `component` must be one of that program's
    (another id answers 404, whether it names another program's component or nothing)."""

    scoped_relations = {"component": _components_of_the_program}
    currency = serializers.CharField(source="program.currency", read_only=True)
    component = serializers.PrimaryKeyRelatedField(
        queryset=Component.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Disbursement
        fields = ["id", "program", "date", "amount", "currency", "component", "reference"]
        read_only_fields = ["program"]


class RateUsedSerializer(serializers.Serializer):
    """A stored rate a converted total used: 1 `base_currency` = `rate` `quote_currency` on
    `date`; `inverted` when the total converted the other way (by 1 / rate)."""

    base_currency = serializers.CharField()
    quote_currency = serializers.CharField()
    date = serializers.DateField()
    rate = serializers.DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES)
    source = serializers.CharField()
    inverted = serializers.BooleanField()


class MissingRateSerializer(serializers.Serializer):
    """A rate a converted total needs and the table lacks: the pair, and the earliest date of an
    amount that found no rate on or before it."""

    from_currency = serializers.CharField()
    to_currency = serializers.CharField()
    date = serializers.DateField(source="on")
    message = serializers.CharField(source="__str__")


class PortfolioTotalSerializer(serializers.Serializer):
    """Totals in one currency: per currency by default, or converted to `?currency=` (then
    `converted` is true, `rates_used` names every rate used, and a missing rate leaves the
    amounts null and is named in `missing_rates`)."""

    currency = serializers.CharField()
    programs = serializers.IntegerField()
    total_amount = _money(allow_null=True)
    funder_amount = _money(allow_null=True)
    disbursed = _money(allow_null=True)
    disbursement_rate_percent = _rate()
    converted = serializers.SerializerMethodField()
    rates_used = RateUsedSerializer(many=True, read_only=True, default=list)
    missing_rates = MissingRateSerializer(many=True, read_only=True, source="missing", default=list)

    def get_converted(self, total) -> bool:
        return isinstance(total, ConvertedTotal)


class PortfolioQuerySerializer(serializers.Serializer):
    currency = serializers.CharField(
        required=False,
        help_text=_("ISO 4217 code: the totals converted to it, each amount at its own date."),
    )

    def validate_currency(self, value: str) -> str:
        value = value.strip().upper()
        try:
            validate_currency(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value
