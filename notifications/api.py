"""API of one's notifications: list them, read one, mark one or all read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.services import notification_mark_read, notifications_mark_all_read
from notifications.texts import text


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text=_("What it says, in your language."))
    about_type = serializers.SerializerMethodField(
        help_text=_("The kind of object it is about (report, cluster), or null.")
    )
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id", "kind", "text", "about_type", "object_id", "link", "params",
            "created_at", "read_at", "read",
        ]  # fmt: skip
        read_only_fields = fields

    def get_text(self, obj) -> str:
        return text(obj)

    def get_about_type(self, obj) -> str | None:
        return obj.content_type.model if obj.content_type_id else None

    def get_read(self, obj) -> bool:
        return obj.is_read


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your own notifications, newest first; nobody reads anyone else's (404)."""

    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        return notifications_of(self.request.user).select_related("content_type")

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        notification = self.get_object()
        notification_mark_read(notification=notification, user=request.user)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(
                inline_serializer("NotificationsRead", {"marked": serializers.IntegerField()})
            )
        },
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read; answers how many were unread."""
        return Response({"marked": notifications_mark_all_read(user=request.user)})
