"""Mounted at /payments/ by config/urls.py: provider callbacks live outside /techmart/."""

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
