"""GET /api/v1/requests/<id>/matches/ and /api/v1/offers/<id>/matches/: suggestions for one of
the caller's published listings. Anything else (unpublished, another organisation's) is 404."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.provinces import province_name

from . import selectors

MAX_LIMIT = 50


class MatchedListingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    external_id = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    sector = serializers.CharField()
    language = serializers.CharField()
    province = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    url = serializers.CharField(source="get_absolute_url")

    def get_province(self, listing) -> str:
        return province_name(listing.province) or ""


class _MatchesApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    kind = ""
    serializer_class = MatchedListingSerializer

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="1 to 50, default 10")],
    )
    def get(self, request, pk: int):
        try:
            limit = max(1, min(MAX_LIMIT, int(request.query_params.get("limit", 10))))
        except ValueError:
            limit = 10
        listing = selectors.listing_for_matching(kind=self.kind, pk=pk, user=request.user, own=True)
        suggestions = selectors.suggestions_for_listing(listing, user=request.user, limit=limit)
        language = get_language() or "vi"
        key = selectors.TARGET[self.kind]
        return Response(
            [
                {
                    key: MatchedListingSerializer(s.listing).data,
                    "score": round(s.score, 4),
                    "reasons": s.reasons_text(language),
                }
                for s in suggestions
            ]
        )


class RequestMatchesApi(_MatchesApi):
    kind = "request"


class OfferMatchesApi(_MatchesApi):
    kind = "offer"
