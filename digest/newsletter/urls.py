"""Mounted at /api/v2/newsletter/ by cms/urls.py; see digest/newsletter/api.py for the shapes."""

from django.urls import path

from digest.newsletter import api

app_name = "newsletter"

urlpatterns = [
    path("subscribe/", api.SubscribeView.as_view(), name="subscribe"),
    path("confirm/", api.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/", api.UnsubscribeView.as_view(), name="unsubscribe"),
    path("preferences/", api.PreferencesView.as_view(), name="preferences"),
]
