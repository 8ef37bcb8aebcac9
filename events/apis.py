"""The fair's REST API: thin interfaces over selectors and services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.models import Organisation
from accounts.provinces import PROVINCE_CHOICES

from . import selectors
from .models import CheckinType, Edition
from .services.checkin import checkin_redeem, lead_scan, ticket_summary
from .services.tickets import Attendee, ticket_register


class EditionListApi(ListAPIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Edition
            ref_name = "EventEdition"
            fields = ["slug", "name", "start_date", "end_date", "status"]

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.edition_list_public()


BoothOutput = inline_serializer(
    "EventBooth",
    {
        "code": serializers.CharField(),
        "zone": serializers.CharField(),
        "type": serializers.CharField(),
        "area_m2": serializers.CharField(),
        "price": serializers.IntegerField(),
        "status": serializers.CharField(),
        "exhibitor": serializers.CharField(allow_null=True),
        "offers": serializers.ListField(child=serializers.DictField()),
        "position": serializers.ListField(child=serializers.IntegerField()),
    },
    many=True,
)
ScanOutput = inline_serializer(
    "EventScanResult",
    {
        "status": serializers.CharField(),
        "ticket": serializers.DictField(required=False),
        "first_entry": serializers.DateTimeField(allow_null=True, required=False),
        "reason": serializers.CharField(required=False),
        "detail": serializers.CharField(required=False),
    },
)


class BoothPlanApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: inline_serializer("EventBoothPlan", {"booths": BoothOutput})},
        summary="The floor plan: every booth with its status and exhibitor",
    )
    def get(self, request, slug: str):
        edition = selectors.edition_get(slug=slug)
        return Response(
            {
                "booths": [
                    {
                        "code": item.booth.code,
                        "zone": item.booth.zone.name if item.booth.zone else "",
                        "type": item.booth.type,
                        "area_m2": str(item.booth.area_m2),
                        "price": item.booth.price,
                        "status": item.status,
                        "exhibitor": item.exhibitor.name if item.exhibitor else None,
                        "offers": [
                            {
                                "title": offer.title,
                                "url": request.build_absolute_uri(
                                    reverse("marketplace:offer_detail", args=[offer.pk])
                                ),
                            }
                            for offer in item.offers
                        ],
                        "position": [
                            item.booth.x,
                            item.booth.y,
                            item.booth.width,
                            item.booth.height,
                        ],
                    }
                    for item in selectors.booth_plan(edition=edition)
                ]
            }
        )


def ticket_links(request, ticket) -> dict:
    return {
        "code": ticket.code,
        "url": request.build_absolute_uri(reverse("events:ticket", args=[ticket.code])),
        "qr_png": request.build_absolute_uri(reverse("events:ticket_qr", args=[ticket.code])),
        "badge_pdf": request.build_absolute_uri(reverse("events:ticket_badge", args=[ticket.code])),
    }


class RegistrationCreateApi(APIView):
    """Register a visitor without an account. The same phone for the same edition answers with
    the ticket it already has."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "anon_register"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventRegistrationInput"

        name = serializers.CharField(max_length=150)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        email = serializers.EmailField(required=False, allow_blank=True, default="")
        organisation = serializers.CharField(
            max_length=200, required=False, allow_blank=True, default=""
        )
        province = serializers.ChoiceField(
            choices=PROVINCE_CHOICES, required=False, allow_blank=True, default=""
        )
        interests = serializers.CharField(
            max_length=300, required=False, allow_blank=True, default=""
        )
        share_contact = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "TicketCreated",
                {
                    "ticket": inline_serializer(
                        "TicketLinks",
                        {
                            "code": serializers.CharField(),
                            "url": serializers.URLField(),
                            "qr_png": serializers.URLField(),
                            "badge_pdf": serializers.URLField(),
                        },
                    )
                },
            )
        },
        summary="Register a visitor",
    )
    def post(self, request, slug: str):
        edition = selectors.edition_get(slug=slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ticket, created = ticket_register(
            edition=edition,
            attendee=Attendee(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                organisation_name=data["organisation"],
                province=data["province"],
                interests=data["interests"],
                share_contact=data["share_contact"],
            ),
        )
        return Response(
            {"ticket": ticket_links(request, ticket), "created": created},
            status=201 if created else 200,
        )


class CheckinCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventCheckinInput"

        code = serializers.CharField(max_length=200, trim_whitespace=True)
        list = serializers.SlugField(max_length=60)
        # "entry" or "exit"; a regex rather than a choice keeps the schema free of a second
        # enum called "type".
        type = serializers.RegexField(r"^(entry|exit)$", default=CheckinType.ENTRY)
        nonce = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
        gate = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        device = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")

    @extend_schema(
        request=InputSerializer,
        responses={201: ScanOutput, 403: ScanOutput, 404: ScanOutput, 409: ScanOutput},
        summary="Scan a ticket at a gate or seminar",
    )
    def post(self, request, slug: str):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            checkin_list = selectors.checkin_list_for_scanner(
                edition_slug=slug, slug=data["list"], user=request.user
            )
        except Http404 as exc:
            raise ApplicationError(
                "unknown_list", _("There is no such check-in list."), status=404
            ) from exc
        result = checkin_redeem(
            checkin_list=checkin_list,
            code=data["code"],
            type=data["type"],
            nonce=data["nonce"],
            gate=data["gate"],
            device=data["device"] or request.headers.get("User-Agent", "")[:120],
            scanner=request.user,
        )
        return Response(result.body, status=result.http_status)


class LeadScanApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventLeadInput"

        code = serializers.CharField(max_length=200)
        exhibitor = serializers.SlugField(max_length=220)
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "EventLead",
                {
                    "status": serializers.CharField(),
                    "ticket": serializers.DictField(),
                    "contact_shared": serializers.BooleanField(),
                    "visits": serializers.IntegerField(),
                },
            )
        },
        summary="Record a visitor at an exhibitor's booth",
    )
    def post(self, request, slug: str):
        edition = selectors.edition_get(slug=slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        exhibitor = get_object_or_404(Organisation, slug=data["exhibitor"])
        result = lead_scan(
            edition=edition,
            exhibitor=exhibitor,
            code=data["code"],
            note=data["note"],
            scanner=request.user,
        )
        ticket = ticket_summary(result.ticket)
        if result.contact_shared:
            ticket.update(phone=result.ticket.phone, email=result.ticket.email)
        return Response(
            {
                "status": "ok",
                "ticket": ticket,
                "contact_shared": result.contact_shared,
                "visits": result.lead.visits,
            },
            status=201,
        )
