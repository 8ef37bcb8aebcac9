from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import selectors, services
from .errors import ApplicationError
from .forms import normalise_phone
from .models import Language, Organisation
from .permissions import user_roles
from .provinces import PROVINCE_CHOICES


def exception_handler(exc, context):
    """ApplicationError becomes {"status": "error", "reason": code, "detail": text}."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Throttled):
        response = drf_exception_handler(exc, context)
        response.data = {
            "status": "error",
            "reason": "throttled",
            "detail": str(_("Too many attempts. Try again in %(seconds)d seconds."))
            % {"seconds": int(exc.wait or 60)},
        }
        return response
    return drf_exception_handler(exc, context)


class AuthFailureThrottle(SimpleRateThrottle):
    """Counts failed sign-ins only, per client address: honest users are never slowed down,
    while guessing passwords stops after a few tries."""

    scope = "auth_failures"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return True

    def record_failure(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class TokenObtainApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthFailureThrottle]

    class TokenObtainInputSerializer(serializers.Serializer):
        email = serializers.CharField(max_length=254)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(
        request=TokenObtainInputSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
        summary="Exchange an email and password for an API token",
    )
    def post(self, request):
        serializer = self.TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = services.token_obtain(request=request, **serializer.validated_data)
        except ApplicationError:
            for throttle in self.get_throttles():
                throttle.record_failure()
            raise
        return Response({"token": token.key})

    def get_throttles(self):
        if not hasattr(self, "_throttles"):
            self._throttles = super().get_throttles()
        return self._throttles


class OrganisationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "type",
            "province",
            "website",
            "description",
            "logo",
            "is_verified",
        ]


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class MeOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        full_name = serializers.CharField()
        phone = serializers.CharField()
        preferred_language = serializers.CharField()
        province = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        organisations = OrganisationOutputSerializer(many=True)

    class MeInputSerializer(serializers.Serializer):
        full_name = serializers.CharField(max_length=150, required=False)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        preferred_language = serializers.ChoiceField(choices=Language.choices, required=False)
        province = serializers.ChoiceField(
            choices=PROVINCE_CHOICES, required=False, allow_blank=True
        )

        def validate_phone(self, value: str) -> str:
            try:
                return normalise_phone(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error

    @extend_schema(responses=MeOutputSerializer, summary="The signed-in user")
    def get(self, request):
        return Response(self._output(request.user), status=status.HTTP_200_OK)

    @extend_schema(
        request=MeInputSerializer, responses=MeOutputSerializer, summary="Update your profile"
    )
    def patch(self, request):
        serializer = self.MeInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_profile_update(user=request.user, **serializer.validated_data)
        return Response(self._output(user), status=status.HTTP_200_OK)

    def _output(self, user) -> dict:
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "province": user.province,
            "roles": user_roles(user),
            "organisations": selectors.organisation_list_for_user(user=user),
        }
        return self.MeOutputSerializer(data).data


class OrganisationListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrganisationOutputSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.organisation_list(
            search=params.get("q", ""),
            type=params.get("type", ""),
            province=params.get("province", ""),
        )


class OrganisationDetailApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrganisationOutputSerializer
    queryset = Organisation.objects.all()
    lookup_field = "slug"
