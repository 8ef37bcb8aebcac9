from django.urls import path

from . import apis, apis_meetings

urlpatterns = [
    path("events/", apis.EditionListApi.as_view(), name="api-event-list"),
    path("events/<slug:slug>/booths/", apis.BoothPlanApi.as_view(), name="api-event-booths"),
    path(
        "events/<slug:slug>/registrations/",
        apis.RegistrationCreateApi.as_view(),
        name="api-event-registrations",
    ),
    path(
        "events/<slug:slug>/checkins/", apis.CheckinCreateApi.as_view(), name="api-event-checkins"
    ),
    path("events/<slug:slug>/leads/", apis.LeadScanApi.as_view(), name="api-event-leads"),
    path(
        "events/<slug:slug>/meetings/",
        apis_meetings.MeetingListCreateApi.as_view(),
        name="api-event-meetings",
    ),
    *[
        path(
            f"events/<slug:slug>/meetings/<int:pk>/{action}/",
            apis_meetings.MeetingActionApi.as_view(action=action),
            name=f"api-event-meeting-{action}",
        )
        for action in ("accept", "decline", "propose", "cancel")
    ],
    path(
        "events/<slug:slug>/meetings/<int:pk>/attendance/",
        apis_meetings.MeetingAttendanceApi.as_view(),
        name="api-event-meeting-attendance",
    ),
]
