"""Websocket routes of the fair, collected by config/asgi.py."""

from django.urls import path

from .consumers import DashboardConsumer, MeetingsConsumer

websocket_urlpatterns = [
    path("ws/events/<slug:slug>/meetings/", MeetingsConsumer.as_asgi()),
    path("ws/events/<slug:slug>/dashboard/", DashboardConsumer.as_asgi()),
]
