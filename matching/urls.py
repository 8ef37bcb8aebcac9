from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.for_me, name="for_me"),
    path(
        "partial/<str:kind>/<int:pk>/",
        views.suggestions_partial,
        name="suggestions_partial",
    ),
    path("phan-hoi/", views.feedback, name="feedback"),
    path("canh-bao/", views.alert_preference, name="alert_preference"),
    path("tim-kiem-da-luu/", views.saved_search_create, name="saved_search_create"),
    path("tim-kiem-da-luu/<int:pk>/xoa/", views.saved_search_delete, name="saved_search_delete"),
]
