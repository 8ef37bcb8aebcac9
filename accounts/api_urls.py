from django.urls import path

from . import apis

urlpatterns = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="api-token"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("organisations/", apis.OrganisationListApi.as_view(), name="api-organisation-list"),
    path(
        "organisations/<slug:slug>/",
        apis.OrganisationDetailApi.as_view(),
        name="api-organisation-detail",
    ),
]
