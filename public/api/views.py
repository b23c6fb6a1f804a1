"""The program's IATI activity file over the API (GET /api/v1/programs/{id}/iati/): scoped like the
program's detail, so a program outside the user's scope answers 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from accounts.scopes import scope_programs
from programs.models import Program
from public.views import iati_response


class ProgramIatiView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="programs_iati_retrieve",
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The program as an IATI 2.03 activity file (iati-activities): "
                "identifier, organisations, dates, status, budget, transactions, places and "
                "the results of its published clusters (approved values only).",
            )
        },
    )
    def get(self, request, pk: int):
        program = get_object_or_404(scope_programs(Program.objects.all(), request.user), pk=pk)
        return iati_response(program)
