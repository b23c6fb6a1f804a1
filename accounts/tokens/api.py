"""API of tokens: sign in for a token, revoke the one in use, list and revoke one's tokens."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.signin.steps import password_authenticate
from accounts.signin.throttle import SignInLocked
from accounts.signin.two_factor import code_verify, confirmed_device
from accounts.tokens.selectors import tokens_of
from accounts.tokens.services import token_issue, token_revoke


class SignInLockedError(exceptions.APIException):
    """429 with Retry-After (DRF's handler sets it from `wait`) and the lock's own message."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked"

    def __init__(self, locked: SignInLocked):
        super().__init__(detail=locked.message)
        self.wait = locked.seconds


class TokenSignInSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"))
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False
    )
    code = serializers.CharField(
        label=_("Code"),
        required=False,
        allow_blank=True,
        help_text=_("Administrators: the six-digit code their authenticator app shows now."),
    )

    def validate(self, attrs):
        request = self.context["request"]
        try:
            user = password_authenticate(
                request, username=attrs["username"], password=attrs["password"]
            )
            if user is None:
                raise serializers.ValidationError(
                    _("Unable to sign in with these credentials."), code="authorization"
                )
            if user.needs_two_factor:
                self._check_code(user, attrs.get("code", ""))
        except SignInLocked as locked:
            raise SignInLockedError(locked) from None
        attrs["user"] = user
        return attrs

    def _check_code(self, user, code: str) -> None:
        device = confirmed_device(user)
        if device is None:
            raise serializers.ValidationError(
                {"code": [_("Set up two-factor sign-in on the site first (your account page).")]}
            )
        if not code:
            raise serializers.ValidationError(
                {"code": [_("Administrators also send the code of their authenticator app.")]}
            )
        if not code_verify(user=user, device=device, code=code):
            raise serializers.ValidationError(
                {"code": [_("That code is not right. Enter the code your app shows now.")]}
            )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text=_("Whether this request uses it."))

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at", "current"]

    def get_current(self, token) -> bool:
        return token.pk == getattr(self.context["request"].auth, "pk", None)


class TokenView(APIView):
    """POST signs in for a new token (every sign-in a new one); DELETE revokes the token the
    request is signed with."""

    def get_authenticators(self):
        # Signing in takes credentials, not a token: a stale token header must not refuse it.
        # (The schema generator asks before it has a request.)
        if getattr(self.request, "method", None) == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if getattr(self.request, "method", None) == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        auth=[],
        description=(
            "Sign in for a new token (every sign-in issues a new one; earlier ones keep "
            "working until they expire or are revoked). Administrators also send `code`."
        ),
        request=TokenSignInSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(description="Wrong credentials, or a missing or wrong code"),
            429: OpenApiResponse(description="Too many failures: locked until the time given"),
        },
    )
    def post(self, request):
        serializer = TokenSignInSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, key = token_issue(user=serializer.validated_data["user"])
        return Response(IssuedTokenSerializer({"token": key, "expires_at": token.expires_at}).data)

    @extend_schema(
        description="Revoke the token this request is signed with.",
        request=None,
        responses={
            204: OpenApiResponse(description="Revoked"),
            400: OpenApiResponse(description="The request is not signed with a token"),
        },
    )
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            return Response(
                {"detail": _("This request is not signed with a token.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your live tokens (expired ones, and ones from before your last password, are gone);
    DELETE revokes one."""

    serializer_class = ApiTokenSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a user
            return ApiToken.objects.none()
        return tokens_of(user=self.request.user)

    def perform_destroy(self, instance):
        token_revoke(token=instance)
