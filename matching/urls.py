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
    # The browse pages of the exchange load this with htmx (no JavaScript: a link to it).
    path("luu-tim-kiem/", views.saved_search_from_browse, name="saved_search_from_browse"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/da-doc-het/", views.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification_open"),
    path("thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"),
]
