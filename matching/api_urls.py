from django.urls import path

from . import apis

urlpatterns = [
    path(
        "requests/<int:pk>/matches/",
        apis.RequestMatchesApi.as_view(),
        name="api-request-matches",
    ),
    path("offers/<int:pk>/matches/", apis.OfferMatchesApi.as_view(), name="api-offer-matches"),
]
