from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("to-chuc/moi/", views.organisation_create, name="organisation_create"),
    path("to-chuc/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("to-chuc/<slug:slug>/sua/", views.organisation_edit, name="organisation_edit"),
    path("to-chuc/<slug:slug>/thanh-vien/", views.member_add, name="member_add"),
    path(
        "to-chuc/<slug:slug>/thanh-vien/<int:membership_id>/xoa/",
        views.member_remove,
        name="member_remove",
    ),
]
