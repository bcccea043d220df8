"""The newsletter's public API under /api/v2/newsletter/ (no login; tokens come from e-mails).

Every error is JSON `{"message": str, "status": int}` (core.api_errors), with `errors`
(field → messages) on validation failures and `code` on token failures. Shapes in full:

POST subscribe/            JSON {"email": str, "locale": "en" | "be" | "ru", "website": ""}
    202 {"message", "status": 202} — identical for new, pending, confirmed and unsubscribed
        addresses. `website` is a honeypot: humans leave it empty; when filled, nothing happens
        (and the answer is still 202). Other fields are ignored.
    400 invalid JSON or fields · 415 not JSON · 429 rate limit (per client IP and per address),
        with a Retry-After header (seconds).
POST confirm/              JSON {"token": str}  (the `token` from the confirmation link)
    200 {"status": "confirmed", "locale"}
    400 {"message", "status", "code": "invalid" | "expired" | "used"}
POST unsubscribe/?token=…  RFC 8058 one-click: form body `List-Unsubscribe=One-Click` (or any
                           body), or JSON {"token": str}; the query string wins.
    200 {"status": "unsubscribed"} — also when already unsubscribed (idempotent)
    400 {"message", "status", "code": "invalid"}
GET  preferences/?token=…  200 {"email", "locale", "status"} · 400 as above
POST preferences/          JSON {"token": str, "locale": "en" | "be" | "ru"}
    200 {"email", "locale", "status"} · 400 as above
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_response
from core.client_ip import client_ip
from core.parsers import BoundedJSONParser
from digest.newsletter.addresses import clean_address
from digest.newsletter.models import Edition, Subscriber
from digest.newsletter.subscriptions import (
    change_language,
    confirm_subscription,
    request_subscription,
    unsubscribe,
)
from digest.newsletter.throttling import SubscribePerAddressThrottle, SubscribePerIPThrottle
from digest.newsletter.tokens import TokenError, TokenProblem, subscriber_for_manage_token

HONEYPOT_FIELD = "website"
ACCEPTED_MESSAGE = (
    "Thank you. If this address can receive our newsletter, a confirmation e-mail is on its way."
)
TOKEN_MESSAGES = {
    TokenProblem.INVALID: "This link is not valid. Please use the link from the e-mail.",
    TokenProblem.EXPIRED: "This confirmation link has expired. Please subscribe again.",
    TokenProblem.USED: "This confirmation link has already been used.",
}


class SubscribeSerializer(serializers.Serializer):
    # Not trimmed here: clean_address refuses line breaks anywhere, trimmed or not.
    email = serializers.CharField(trim_whitespace=False)
    locale = serializers.ChoiceField(choices=Edition.values)
    website = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

    def validate_email(self, value):
        try:
            return clean_address(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class PreferencesSerializer(TokenSerializer):
    locale = serializers.ChoiceField(choices=Edition.values)


def token_error(exc: TokenError):
    return error_response(
        HTTPStatus.BAD_REQUEST, TOKEN_MESSAGES[exc.problem], code=exc.problem.value
    )


class PublicNewsletterView(APIView):
    # Anonymous and token-based: no session, hence no CSRF for readers who are also editors.
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [BoundedJSONParser]


class SubscribeView(PublicNewsletterView):
    throttle_classes = [SubscribePerIPThrottle, SubscribePerAddressThrottle]

    def post(self, request):
        serializer = SubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data.get(HONEYPOT_FIELD):
            address, normalized = data["email"]
            request_subscription(address, normalized, data["locale"], client_ip(request))
        return Response(
            {"message": ACCEPTED_MESSAGE, "status": HTTPStatus.ACCEPTED},
            status=HTTPStatus.ACCEPTED,
        )


class ConfirmView(PublicNewsletterView):
    def post(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            subscriber = confirm_subscription(
                serializer.validated_data["token"], client_ip(request)
            )
        except TokenError as exc:
            return token_error(exc)
        return Response({"status": subscriber.status, "locale": subscriber.locale})


class UnsubscribeView(PublicNewsletterView):
    # Mail clients send the one-click POST form-encoded (RFC 8058); the frontend sends JSON.
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    def post(self, request):
        token = request.query_params.get("token")
        if not token:
            serializer = TokenSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            token = serializer.validated_data["token"]
        try:
            subscriber = subscriber_for_manage_token(token)
        except TokenError as exc:
            return token_error(exc)
        unsubscribe(subscriber, client_ip(request))
        return Response({"status": Subscriber.Status.UNSUBSCRIBED})


class PreferencesView(PublicNewsletterView):
    def get(self, request):
        try:
            subscriber = subscriber_for_manage_token(request.query_params.get("token", ""))
        except TokenError as exc:
            return token_error(exc)
        return Response(self.body(subscriber))

    def post(self, request):
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            subscriber = subscriber_for_manage_token(serializer.validated_data["token"])
        except TokenError as exc:
            return token_error(exc)
        change_language(subscriber, serializer.validated_data["locale"])
        return Response(self.body(subscriber))

    @staticmethod
    def body(subscriber: Subscriber) -> dict:
        return {
            "email": subscriber.email,
            "locale": subscriber.locale,
            "status": subscriber.status,
        }
