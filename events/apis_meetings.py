"""B2B meetings REST API: my meetings and requests, new requests, answers. Thin interfaces over
events.services.meetings and events.selectors_meetings; rule violations come back as
{"status": "error", "reason": code, "detail": translated text} with 400/403/404/409."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from . import selectors_meetings as sel
from .models import Meeting, MeetingParticipant, MeetingSlot, MeetingStatus
from .services import meetings as services


class MeetingParticipantOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation_name")
    type = serializers.CharField()

    class Meta:
        model = MeetingParticipant
        ref_name = "EventMeetingParticipant"
        fields = ["id", "display_name", "organisation", "type"]


class MeetingSlotOutput(serializers.ModelSerializer):
    class Meta:
        model = MeetingSlot
        ref_name = "EventMeetingSlot"
        fields = ["id", "starts_at", "ends_at"]


class MeetingOutput(serializers.ModelSerializer):
    requester = MeetingParticipantOutput()
    recipient = MeetingParticipantOutput()
    slot = MeetingSlotOutput(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    location = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        ref_name = "EventMeeting"
        fields = [
            "id",
            "status",
            "status_label",
            "direction",
            "requester",
            "recipient",
            "slot",
            "any_slot",
            "location",
            "message",
            "decline_reason",
            "expires_at",
            "created_at",
        ]

    def get_location(self, meeting: Meeting) -> str | None:
        return str(meeting.location) if meeting.location_id else None

    def get_direction(self, meeting: Meeting) -> str:
        """ "outgoing" when the caller asked for the meeting, else "incoming"."""
        participant = self.context["participant"]
        return "outgoing" if meeting.requester_id == participant.pk else "incoming"


def _participant(request, slug: str) -> tuple:
    edition = selectors.edition_get(slug=slug)
    participant = sel.participant_for_user(edition, request.user)
    if participant is None:
        raise Http404
    return edition, participant


class MeetingListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventMeetingRequestInput"

        recipient = serializers.IntegerField(help_text="The participant id to meet.")
        slot = serializers.IntegerField(
            required=False, allow_null=True, default=None, help_text="Empty: any common free slot."
        )
        # The service refuses longer messages with a translated "message_too_long".
        message = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description="Only meetings in this status (pending, scheduled, ...).",
            ),
            OpenApiParameter("direction", str, description='"incoming" or "outgoing".'),
        ],
        responses={200: MeetingOutput(many=True)},
        summary="My meetings and meeting requests at this fair",
    )
    def get(self, request, slug: str):
        _edition, participant = _participant(request, slug)
        status = request.query_params.get("status") or None
        if status is not None and status not in MeetingStatus.values:
            status = "__none__"
        meetings = sel.meetings_for_participant(
            participant,
            statuses=None if status is None else [status],
            direction=request.query_params.get("direction", ""),
        )
        data = MeetingOutput(meetings, many=True, context={"participant": participant}).data
        return Response(data)

    @extend_schema(
        request=InputSerializer,
        responses={201: MeetingOutput},
        summary="Request a meeting at a free slot, or at any slot both have free",
    )
    def post(self, request, slug: str):
        edition, participant = _participant(request, slug)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recipient = get_object_or_404(
            MeetingParticipant, pk=data["recipient"], edition=edition, is_active=True
        )
        slot = None
        if data["slot"] is not None:
            slot = get_object_or_404(MeetingSlot, pk=data["slot"], edition=edition)
        meeting = services.meeting_request(
            requester=participant, recipient=recipient, slot=slot, message=data["message"]
        )
        meeting = sel.meetings_with_relations().get(pk=meeting.pk)
        return Response(MeetingOutput(meeting, context={"participant": participant}).data, 201)


class MeetingActionApi(APIView):
    permission_classes = [IsAuthenticated]
    action: str = ""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventMeetingActionInput"

        reason = serializers.CharField(required=False, allow_blank=True, default="")
        slot = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(
        request=InputSerializer,
        responses={200: MeetingOutput},
        summary="Answer or cancel a meeting request: accept, decline (optional reason), "
        "propose (slot) or cancel",
    )
    def post(self, request, slug: str, pk: int):
        edition, participant = _participant(request, slug)
        meeting = get_object_or_404(sel.meetings_for_participant(participant), pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if self.action == "accept":
            services.meeting_accept(meeting=meeting, actor=request.user)
        elif self.action == "decline":
            services.meeting_decline(meeting=meeting, actor=request.user, reason=data["reason"])
        elif self.action == "propose":
            slot = get_object_or_404(MeetingSlot, pk=data["slot"] or 0, edition=edition)
            services.meeting_propose(meeting=meeting, actor=request.user, slot=slot)
        else:
            services.meeting_cancel(meeting=meeting, actor=request.user)
        meeting = sel.meetings_with_relations().get(pk=meeting.pk)
        return Response(MeetingOutput(meeting, context={"participant": participant}).data)


class MeetingAttendanceApi(APIView):
    """Either party, the edition's organisers or the staff of the meeting's table record that a
    meeting took place or that someone did not come."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventMeetingAttendanceInput"

        held = serializers.BooleanField(help_text="true: the meeting took place; false: no-show.")

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer(
                "EventMeetingAttendance",
                {"id": serializers.IntegerField(), "status": serializers.CharField()},
            )
        },
        summary="Mark a meeting held or no-show",
    )
    def post(self, request, slug: str, pk: int):
        edition = selectors.edition_get(slug=slug)
        meeting = get_object_or_404(sel.meetings_of_edition(edition), pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_mark_attendance(
            meeting=meeting, actor=request.user, held=serializer.validated_data["held"]
        )
        return Response({"id": meeting.pk, "status": meeting.status})
