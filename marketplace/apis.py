"""REST API of the exchange (/api/v1/). Published listings are readable without signing in, so
other exchanges can sync with `updated_since`; writes follow the same services (permissions,
moderation) as the pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from accounts.errors import ApplicationError
from accounts.models import Organisation, OrganisationType
from accounts.provinces import province_code

from . import permissions, selectors, services
from .models import Deal, Expert, Inquiry, Listing, Message, Offer, Request
from .selectors import SORT_NEWEST, SORT_RELEVANCE, ListingFilters
from .taxonomy import DealType, InquiryState, IPStatus, ListingLanguage, Sector, TransferType

MAX_AMOUNT = 9_223_372_036_854_775_807


def _field_errors(error: serializers.ValidationError) -> ApplicationError:
    return ApplicationError(
        "invalid", _("Check the highlighted fields."), extra={"fields": error.detail}
    )


def _validated(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    try:
        serializer.is_valid(raise_exception=True)
    except serializers.ValidationError as error:
        raise _field_errors(error) from error
    return serializer.validated_data


class AmountField(serializers.IntegerField):
    """A whole, non-negative number of đồng, or null for negotiable."""

    default_error_messages = {"invalid": _("Enter a whole number of đồng.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, float) and not data.is_integer()):
            self.fail("invalid")
        if isinstance(data, str) and not data.strip().isdigit():
            self.fail("invalid")
        return super().to_internal_value(data)


class ListingOwnerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=OrganisationType.choices)


class OfferImageSerializer(serializers.Serializer):
    image = serializers.ImageField()
    thumbnail = serializers.ImageField(allow_null=True)


class ListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    url = serializers.SerializerMethodField()
    language = serializers.ChoiceField(choices=ListingLanguage.choices)
    title = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    sector = serializers.ChoiceField(choices=Sector.choices)
    keywords = serializers.ListField(child=serializers.CharField())
    province = serializers.CharField()
    province_name = serializers.CharField(source="province_label")
    transfer_types = serializers.ListField(child=serializers.ChoiceField(TransferType.choices))
    status = serializers.CharField()
    rejection_reason = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def get_url(self, listing) -> str:
        request = self.context.get("request")
        path = listing.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def _owner_visible(self, listing) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not getattr(listing, "is_anonymous", False):
            return True
        return permissions.can_edit_listing(user, listing) or permissions.is_moderator(user)

    def get_rejection_reason(self, listing) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if permissions.can_edit_listing(user, listing) or permissions.is_moderator(user):
            return listing.rejection_reason
        return ""

    @extend_schema_field(ListingOwnerSerializer(allow_null=True))
    def get_owner(self, listing) -> dict | None:
        if not self._owner_visible(listing):
            return None
        return ListingOwnerSerializer(listing.organisation).data


class OfferAttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    file = serializers.FileField()


class OfferSerializer(ListingSerializer):
    trl = serializers.IntegerField(allow_null=True)
    ip_status = serializers.CharField()
    ip_certificate_number = serializers.CharField()
    price_vnd = serializers.IntegerField(allow_null=True, help_text="null = negotiable")
    video_url = serializers.CharField()
    images = OfferImageSerializer(many=True)


class OfferDetailSerializer(OfferSerializer):
    attachments = OfferAttachmentSerializer(many=True)


class TechRequestSerializer(ListingSerializer):
    budget_vnd = serializers.IntegerField(allow_null=True, help_text="null = negotiable")
    wanted_by = serializers.DateField(allow_null=True)
    is_anonymous = serializers.BooleanField()


def _province(value: str) -> str:
    if not value:
        return ""
    code = province_code(value)
    if code is None:
        raise serializers.ValidationError(_("Choose one of the 34 provinces and cities."))
    return code


class ListingWriteSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=ListingLanguage.choices, required=False)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000)
    sector = serializers.ChoiceField(choices=Sector.choices)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=10, required=False
    )
    province = serializers.CharField(required=False, allow_blank=True, max_length=32)
    transfer_types = serializers.ListField(
        child=serializers.ChoiceField(choices=TransferType.choices), required=False
    )

    def validate_province(self, value: str) -> str:
        return _province(value)


class ListingCreateMixin(serializers.Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), help_text="the owner's slug"
    )
    submit = serializers.BooleanField(
        default=False, help_text="send for review at once instead of keeping a draft"
    )


class OfferWriteSerializer(ListingWriteSerializer):
    trl = serializers.IntegerField(min_value=1, max_value=9, required=False, allow_null=True)
    ip_status = serializers.ChoiceField(choices=IPStatus.choices, required=False, allow_blank=True)
    ip_certificate_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    price_vnd = AmountField(help_text="whole đồng; null = negotiable")
    video_url = serializers.URLField(required=False, allow_blank=True)


class OfferCreateSerializer(ListingCreateMixin, OfferWriteSerializer):
    pass


class TechRequestWriteSerializer(ListingWriteSerializer):
    budget_vnd = AmountField(help_text="whole đồng; null = negotiable")
    wanted_by = serializers.DateField(required=False, allow_null=True)
    is_anonymous = serializers.BooleanField(required=False)


class TechRequestCreateSerializer(ListingCreateMixin, TechRequestWriteSerializer):
    pass


class ListingFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    province = serializers.CharField(required=False, max_length=32)
    trl_min = serializers.IntegerField(min_value=1, max_value=9, required=False)
    trl_max = serializers.IntegerField(min_value=1, max_value=9, required=False)
    transfer_type = serializers.ChoiceField(choices=TransferType.choices, required=False)
    owner_type = serializers.ChoiceField(choices=OrganisationType.choices, required=False)
    amount_min = AmountField(allow_null=False)
    amount_max = AmountField(allow_null=False)
    updated_since = serializers.DateTimeField(required=False)
    sort = serializers.ChoiceField(choices=[SORT_RELEVANCE, SORT_NEWEST], required=False)

    def validate_province(self, value: str) -> str:
        return _province(value)


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="accent-insensitive search words"),
    OpenApiParameter("sector", str, enum=Sector.values),
    OpenApiParameter("province", str, description="province code, e.g. can-tho"),
    OpenApiParameter("trl_min", int, description="offers only"),
    OpenApiParameter("trl_max", int, description="offers only"),
    OpenApiParameter("transfer_type", str, enum=TransferType.values),
    OpenApiParameter("owner_type", str, enum=OrganisationType.values),
    OpenApiParameter("amount_min", int, description="price (offers) or budget (requests)"),
    OpenApiParameter("amount_max", int, description="price (offers) or budget (requests)"),
    OpenApiParameter(
        "updated_since",
        str,
        description="ISO 8601; changed since then, oldest change first (incremental sync); "
        "also lists the listings archived since then (status archived) so mirrors drop them",
    ),
    OpenApiParameter("sort", str, enum=[SORT_RELEVANCE, SORT_NEWEST]),
    OpenApiParameter("mine", bool, description="the listings of my organisations, any state"),
]


class ListingApiMixin:
    model: type[Listing]
    output_serializer: type[serializers.Serializer]
    write_serializer: type[serializers.Serializer]
    create_serializer: type[serializers.Serializer]

    def output(self, listing, *, status_code=status.HTTP_200_OK) -> Response:
        serializer = getattr(self, "detail_serializer", None) or self.output_serializer
        data = serializer(listing, context={"request": self.request}).data
        return Response(data, status=status_code)

    def get_listing(self, pk: int) -> Listing:
        return selectors.listing_get(model=self.model, pk=pk, user=self.request.user)


class ListingListCreateApi(ListingApiMixin, GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        params = self.request.query_params
        if params.get("mine") in {"1", "true"} and self.request.user.is_authenticated:
            return selectors.listing_list_for_user(model=self.model, user=self.request.user)
        data = _validated(ListingFilterSerializer, params)
        return selectors.listing_search(model=self.model, filters=ListingFilters(**data))

    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = self.output_serializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def post(self, request):
        data = dict(_validated(self.create_serializer, request.data))
        organisation = data.pop("organisation")
        submit = data.pop("submit", False)
        listing = services.listing_create(
            model=self.model, actor=request.user, organisation=organisation, submit=submit, **data
        )
        return self.output(self.get_listing(listing.pk), status_code=status.HTTP_201_CREATED)


class ListingDetailApi(ListingApiMixin, GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get(self, request, pk: int):
        return self.output(self.get_listing(pk))

    def _update(self, request, pk: int, *, partial: bool) -> Response:
        listing = self.get_listing(pk)
        data = _validated(self.write_serializer, request.data, partial=partial)
        services.listing_update(listing=listing, actor=request.user, **data)
        return self.output(self.get_listing(pk))

    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ListingActionApi(ListingApiMixin, GenericAPIView):
    """submit, archive, renew (owners); publish, reject (moderators)."""

    permission_classes = [IsAuthenticated]
    action_name = ""

    def post(self, request, pk: int):
        listing = self.get_listing(pk)
        if self.action_name == "publish":
            services.listing_publish(listing=listing, moderator=request.user)
        elif self.action_name == "reject":
            reason = _validated(RejectSerializer, request.data).get("reason", "")
            services.listing_reject(listing=listing, moderator=request.user, reason=reason)
        else:
            service = {
                "submit": services.listing_submit,
                "archive": services.listing_archive,
                "renew": services.listing_renew,
            }[self.action_name]
            service(listing=listing, actor=request.user)
        return self.output(self.get_listing(pk))


def _listing_views(model, output, write, create, tag: str, detail_output=None):
    detail_output = detail_output or output
    list_view = extend_schema_view(
        get=extend_schema(
            tags=[tag],
            parameters=FILTER_PARAMETERS,
            responses=output(many=True),
            summary=f"Published {tag}, filtered",
        ),
        post=extend_schema(
            tags=[tag],
            request=create,
            responses={201: detail_output},
            summary=f"Create a {tag[:-1]}",
        ),
    )(
        type(
            f"{model.__name__}ListCreateApi",
            (ListingListCreateApi,),
            {
                "model": model,
                "output_serializer": output,
                "detail_serializer": detail_output,
                "write_serializer": write,
                "create_serializer": create,
                "serializer_class": output,
            },
        )
    )
    detail_view = extend_schema_view(
        get=extend_schema(tags=[tag], responses=detail_output),
        put=extend_schema(tags=[tag], request=write, responses=detail_output),
        patch=extend_schema(tags=[tag], request=write, responses=detail_output),
    )(
        type(
            f"{model.__name__}DetailApi",
            (ListingDetailApi,),
            {
                "model": model,
                "output_serializer": detail_output,
                "write_serializer": write,
                "serializer_class": detail_output,
            },
        )
    )
    actions = {}
    for name in ("submit", "publish", "reject", "archive", "renew"):
        actions[name] = extend_schema_view(
            post=extend_schema(
                tags=[tag],
                request=RejectSerializer if name == "reject" else None,
                responses=detail_output,
                summary=f"{name.capitalize()} a {tag[:-1]}",
                operation_id=f"{model.__name__.lower()}_{name}",
            )
        )(
            type(
                f"{model.__name__}{name.capitalize()}Api",
                (ListingActionApi,),
                {
                    "model": model,
                    "output_serializer": detail_output,
                    "action_name": name,
                    "serializer_class": detail_output,
                },
            )
        )
    return list_view, detail_view, actions


OfferListCreateApi, OfferDetailApi, OFFER_ACTIONS = _listing_views(
    Offer,
    OfferSerializer,
    OfferWriteSerializer,
    OfferCreateSerializer,
    "offers",
    detail_output=OfferDetailSerializer,
)
RequestListCreateApi, RequestDetailApi, REQUEST_ACTIONS = _listing_views(
    Request,
    TechRequestSerializer,
    TechRequestWriteSerializer,
    TechRequestCreateSerializer,
    "requests",
)


class OfferImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB")


class OfferAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, at most 10 MB")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema(
    tags=["offers"],
    request={"multipart/form-data": OfferImageUploadSerializer},
    responses={201: OfferDetailSerializer},
    summary="Add an image to an offer (a published offer goes back to review)",
)
class OfferImageUploadApi(ListingApiMixin, GenericAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]
    model = Offer
    output_serializer = OfferDetailSerializer
    serializer_class = OfferImageUploadSerializer

    def post(self, request, pk: int):
        offer = self.get_listing(pk)
        data = _validated(OfferImageUploadSerializer, request.data)
        services.offer_image_add(offer=offer, actor=request.user, upload=data["image"])
        return self.output(self.get_listing(pk), status_code=status.HTTP_201_CREATED)


@extend_schema(
    tags=["offers"],
    request={"multipart/form-data": OfferAttachmentUploadSerializer},
    responses={201: OfferDetailSerializer},
    summary="Add a PDF document to an offer (a published offer goes back to review)",
)
class OfferAttachmentUploadApi(ListingApiMixin, GenericAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]
    model = Offer
    output_serializer = OfferDetailSerializer
    serializer_class = OfferAttachmentUploadSerializer

    def post(self, request, pk: int):
        offer = self.get_listing(pk)
        data = _validated(OfferAttachmentUploadSerializer, request.data)
        services.offer_attachment_add(
            offer=offer, actor=request.user, upload=data["file"], title=data.get("title", "")
        )
        return self.output(self.get_listing(pk), status_code=status.HTTP_201_CREATED)


# --- Experts ---------------------------------------------------------------------------------


class ExpertSerializer(serializers.ModelSerializer):
    sectors = serializers.ListField(
        source="fields",
        child=serializers.CharField(),
        read_only=True,
        help_text="sector codes, as in the listings' sector",
    )
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", default="")

    class Meta:
        model = Expert
        # Never the email: messages are forwarded.
        fields = [
            "id",
            "name",
            "title",
            "sectors",
            "organisation",
            "organisation_name",
            "expertise",
            "province",
            "updated_at",
        ]


class ExpertContactSerializer(serializers.Serializer):
    sender_name = serializers.CharField(max_length=150)
    sender_email = serializers.EmailField()
    body = serializers.CharField(max_length=3000)


@extend_schema_view(
    get=extend_schema(
        tags=["experts"],
        responses=ExpertSerializer(many=True),
        operation_id="experts_list",
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("sector", str, enum=Sector.values),
            OpenApiParameter("province", str),
        ],
    )
)
class ExpertListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ExpertSerializer

    def get(self, request):
        params = request.query_params
        queryset = selectors.expert_search(
            q=params.get("q", ""),
            sector=params.get("sector", "") if params.get("sector") in Sector.values else "",
            province=params.get("province", ""),
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ExpertSerializer(page, many=True).data)


@extend_schema(tags=["experts"])
class ExpertDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ExpertSerializer

    def get(self, request, pk: int):
        expert = get_object_or_404(
            Expert.objects.select_related("organisation"), pk=pk, is_active=True
        )
        return Response(ExpertSerializer(expert).data)


@extend_schema(
    tags=["experts"],
    request=ExpertContactSerializer,
    responses={202: None},
    summary="Send a message that the platform forwards to the expert by email",
)
class ExpertContactApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ExpertContactSerializer

    def post(self, request, pk: int):
        expert = get_object_or_404(Expert, pk=pk, is_active=True)
        data = _validated(ExpertContactSerializer, request.data)
        services.expert_contact(expert=expert, sender=request.user, **data)
        return Response(status=status.HTTP_202_ACCEPTED)


# --- Inquiries, messages, deals --------------------------------------------------------------


class InquiryMessageSerializer(serializers.ModelSerializer):
    author_organisation = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author_organisation", "body", "created_at"]

    def get_author_organisation(self, message) -> str | None:
        inquiry = self.context["inquiry"]
        if (
            message.author_organisation_id == inquiry.listing_organisation_id
            and not self.context["owner_shown"]
        ):
            return None
        return message.author_organisation.name


class DealSerializer(serializers.ModelSerializer):
    deal_type = serializers.ChoiceField(source="type", choices=DealType.choices)
    is_confirmed = serializers.BooleanField()

    class Meta:
        model = Deal
        fields = ["deal_type", "value_vnd", "signed_on", "is_confirmed", "confirmed_at"]


class InquirySerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    listing_id = serializers.SerializerMethodField()
    listing_title = serializers.SerializerMethodField()
    listing_organisation = serializers.SerializerMethodField()
    initiator_organisation = serializers.CharField(source="initiator_organisation.name")

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "kind",
            "listing_id",
            "listing_title",
            "listing_organisation",
            "initiator_organisation",
            "state",
            "created_at",
            "last_message_at",
        ]

    def get_kind(self, inquiry) -> str:
        return "offer" if inquiry.offer_id else "request"

    def get_listing_id(self, inquiry) -> int:
        return inquiry.offer_id or inquiry.request_id

    def get_listing_title(self, inquiry) -> str:
        return inquiry.listing.title

    def get_listing_organisation(self, inquiry) -> str | None:
        user = self.context["request"].user
        if selectors.listing_owner_shown(inquiry=inquiry, user=user):
            return inquiry.listing_organisation.name
        return None


class InquiryOpenSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["offer", "request"])
    listing_id = serializers.IntegerField()
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )
    body = serializers.CharField(max_length=5000)


class MessagePostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class InquiryStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=InquiryState.choices)


class DealRecordSerializer(serializers.Serializer):
    deal_type = serializers.ChoiceField(choices=DealType.choices)
    value_vnd = AmountField(allow_null=False, required=True)
    signed_on = serializers.DateField()


@extend_schema_view(
    get=extend_schema(tags=["inquiries"], responses=InquirySerializer(many=True)),
    post=extend_schema(
        tags=["inquiries"],
        request=InquiryOpenSerializer,
        responses={201: InquirySerializer},
        summary="Express interest in a published listing (opens or continues a thread)",
    ),
)
class InquiryListCreateApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = InquirySerializer

    def get(self, request):
        page = self.paginate_queryset(selectors.inquiry_list_for_user(user=request.user))
        data = InquirySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def post(self, request):
        data = _validated(InquiryOpenSerializer, request.data)
        model = Offer if data["kind"] == "offer" else Request
        listing = selectors.listing_get(model=model, pk=data["listing_id"], user=request.user)
        inquiry = services.inquiry_open(
            listing=listing,
            actor=request.user,
            organisation=data["organisation"],
            body=data["body"],
        )
        inquiry = selectors.inquiry_get(pk=inquiry.pk, user=request.user)
        return Response(
            InquirySerializer(inquiry, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    get=extend_schema(tags=["inquiries"], responses=InquirySerializer),
    patch=extend_schema(
        tags=["inquiries"],
        request=InquiryStateSerializer,
        responses=InquirySerializer,
        summary="Move the thread to negotiating, closed, or open again",
    ),
)
class InquiryDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = InquirySerializer

    def get(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        return Response(InquirySerializer(inquiry, context={"request": request}).data)

    def patch(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        data = _validated(InquiryStateSerializer, request.data)
        services.inquiry_set_state(inquiry=inquiry, actor=request.user, state=data["state"])
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        return Response(InquirySerializer(inquiry, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(tags=["inquiries"], responses=InquiryMessageSerializer(many=True)),
    post=extend_schema(
        tags=["inquiries"],
        request=MessagePostSerializer,
        responses={201: InquiryMessageSerializer},
    ),
)
class InquiryMessagesApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = InquiryMessageSerializer

    def _context(self, inquiry) -> dict:
        shown = selectors.listing_owner_shown(inquiry=inquiry, user=self.request.user)
        return {"request": self.request, "inquiry": inquiry, "owner_shown": shown}

    def get(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        page = self.paginate_queryset(selectors.message_list(inquiry=inquiry))
        data = InquiryMessageSerializer(page, many=True, context=self._context(inquiry)).data
        return self.get_paginated_response(data)

    def post(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        data = _validated(MessagePostSerializer, request.data)
        message = services.message_post(inquiry=inquiry, actor=request.user, body=data["body"])
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        return Response(
            InquiryMessageSerializer(message, context=self._context(inquiry)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    get=extend_schema(tags=["inquiries"], responses=DealSerializer),
    post=extend_schema(
        tags=["inquiries"],
        request=DealRecordSerializer,
        responses={201: DealSerializer},
        summary="Record the deal of a thread; it counts once the other party confirms it",
    ),
)
class InquiryDealApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = DealSerializer

    def get(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        deal = selectors.inquiry_deal(inquiry=inquiry)
        if deal is None:
            raise Http404
        return Response(DealSerializer(deal).data)

    def post(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        data = dict(_validated(DealRecordSerializer, request.data))
        deal = services.deal_record(
            inquiry=inquiry, actor=request.user, type=data.pop("deal_type"), **data
        )
        return Response(DealSerializer(deal).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["inquiries"], request=None, responses=DealSerializer)
class InquiryDealConfirmApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = DealSerializer

    def post(self, request, pk: int):
        inquiry = selectors.inquiry_get(pk=pk, user=request.user)
        deal = selectors.inquiry_deal(inquiry=inquiry)
        if deal is None:
            raise Http404
        deal = services.deal_confirm(deal=deal, actor=request.user)
        return Response(DealSerializer(deal).data)
