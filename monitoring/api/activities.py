"""API views for the activity log: CRUD for writers in their scope, reading for everyone in
theirs; attachments uploaded per activity and downloaded only within the scope."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.filters import ScopedFilterBackend
from accounts.permissions import ScopedReadFieldWrite
from core.api import ServiceModelViewSet
from core.pagination import CursorPages
from core.uploads import attachment_response
from monitoring.activities import selectors
from monitoring.activities.services import (
    activity_create,
    activity_delete,
    activity_update,
    attachment_add,
    attachment_delete,
)
from monitoring.api.serializers.activities import (
    ActivitySerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
)


class ActivityPagination(CursorPages):
    """Cursor pages, newest first: the log only grows, and a COUNT(*) per page would cost."""

    ordering = ("-date", "-id")
    page_size = 50
    max_page_size = 500


class ActivityViewSet(ServiceModelViewSet):
    """Activities in the user's scope. Filters: `cluster`, `type`, `bso`, `date_after`,
    `date_before` (the same as the list page and its exports)."""

    serializer_class = ActivitySerializer
    permission_classes = [ScopedReadFieldWrite]
    pagination_class = ActivityPagination
    filterset_class = selectors.ActivityFilter
    filter_backends = [ScopedFilterBackend]

    def get_queryset(self):
        return selectors.scope_detail(self.request.user)

    def create_object(self, data):
        return activity_create(data=data, user=self.request.user)

    def update_object(self, instance, data):
        return activity_update(activity=instance, data=data, user=self.request.user)

    def perform_destroy(self, instance):
        activity_delete(activity=instance, user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer}, responses=AttachmentSerializer
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        """Attach a file (pdf, png, jpg, xlsx, docx, csv; size limited) to the activity."""
        activity = self.get_object()
        params = AttachmentUploadSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        attachment = attachment_add(
            activity=activity, file=params.validated_data["file"], user=request.user
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ActivityAttachmentViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Files attached to activities in the user's scope; `download` serves one."""

    serializer_class = AttachmentSerializer
    permission_classes = [ScopedReadFieldWrite]
    filterset_fields = ["activity"]

    def get_queryset(self):
        return selectors.attachments_in_scope(self.request.user).order_by("-uploaded_at", "-id")

    def perform_destroy(self, instance):
        attachment_delete(attachment=instance, user=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        return attachment_response(attachment)
