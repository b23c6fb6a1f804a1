"""Shared API plumbing: JSON errors with per-field messages, service-backed viewsets, and the
one convention for percent-like numbers (PercentField)."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ConflictError, PermissionDenied
from core.services import model_create, model_update


def exception_handler(exc, context):
    """Turn model validation errors raised by services into DRF's per-field 400 answers."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ProtectedError):
        return Response(
            {
                "detail": _(
                    "This object is still referenced by other records and cannot be deleted."
                )
            },
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


HUNDRED = Decimal(100)
PERCENT_HELP = "A percentage, 0-100 (12.5 is 12.5 %), as a decimal string with 2 places."


class PercentField(serializers.DecimalField):
    """A share, rate, score or threshold kept as a fraction (0.125), in the API as a percentage
    ("12.50"): every percent-like number the API gives or takes is one of these, in a field whose
    name ends in `_percent` (docs/architecture.md, "The API")."""

    def __init__(self, *, max_percent: int | None = None, **kwargs):
        kwargs.setdefault("help_text", PERCENT_HELP)
        super().__init__(
            max_digits=None,
            decimal_places=2,
            rounding=ROUND_HALF_UP,
            min_value=Decimal(0) if max_percent is not None else None,
            max_value=Decimal(max_percent) if max_percent is not None else None,
            **kwargs,
        )

    def to_representation(self, value):
        return super().to_representation(Decimal(value) * HUNDRED)

    def to_internal_value(self, data):
        return super().to_internal_value(data) / HUNDRED


class ServiceModelViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose writes go through services (validation, transaction), not save().

    Subclasses with a rule of their own override `create_object` / `update_object` to call
    their app's service; plain reference data uses the generic create and update.
    """

    def create_object(self, data: dict):
        return model_create(model=self.get_serializer_class().Meta.model, data=data)

    def update_object(self, instance, data: dict):
        instance, _changed = model_update(instance=instance, data=data, fields=list(data))
        return instance

    def perform_create(self, serializer):
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.update_object(
            serializer.instance, dict(serializer.validated_data)
        )
