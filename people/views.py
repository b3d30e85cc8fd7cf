import django_filters
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api import FilterSet
from core.authentication import SessionAuthentication, TokenAuthentication
from core.pages import throttle_wait
from people import selectors, services
from people.filters import NetworkSubtreeFilter
from people.models import Library, Network
from people.permissions import ManagesObject, OrganizerWritesOthersRead
from people.serializers import (
    EmailConfirmSerializer,
    LibrarySerializer,
    NetworkSerializer,
    NetworkUpdateSerializer,
    RegisterSerializer,
    TokenSerializer,
    UserSerializer,
)


class AuthThrottled:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


@never_cache
def admin_login(request, extra_context=None):
    """The admin's sign-in, counted against the API sign-in's budget (the same throttle, scope
    and cache key), so that a password guessed here is not guessed at a second rate."""
    if request.method == "POST":
        throttles = {"throttle_classes": AuthThrottled.throttle_classes, "scope": AuthThrottled.throttle_scope}
        wait = throttle_wait(request, **throttles)
        if wait is not None:
            from django.contrib.admin.forms import AdminAuthenticationForm  # imports the user model

            context = {
                **admin.site.each_context(request),
                "title": _("Log in"),
                "app_path": request.get_full_path(),
                "username": request.user.get_username(),
                "form": AdminAuthenticationForm(request),  # unbound: a refused attempt checks no password
                REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME) or reverse("admin:index"),
                "wait": wait,
            }
            response = render(request, "people/admin_login_throttled.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
    return admin.site.login(request, extra_context)


class RegisterView(AuthThrottled, APIView):
    """A student creates an account through their library."""

    permission_classes = [AllowAny]

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.student_register(**serializer.validated_data, language=get_language())
        return Response(UserSerializer(selectors.user_with_roles(user)).data, status=status.HTTP_201_CREATED)


class TokenView(AuthThrottled, APIView):
    """Exchange a username and password for a token that scripts send as `Authorization: Token …`.
    Each sign-in gets its own token; it expires after `AUTH_TOKEN_TTL_DAYS` (30) and
    `POST /api/auth/logout/` with it revokes it."""

    permission_classes = [AllowAny]
    authentication_classes = []  # a stale session must not trip CSRF on a token request

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, key = services.auth_token_create(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": key, "expires": token.expiry}).data)


class SessionLoginView(AuthThrottled, APIView):
    """The browser's sign-in: a username and password open a session (cookie), as the admin's
    login does; the frontend then sends the CSRF token with every write."""

    permission_classes = [AllowAny]
    authentication_classes = []  # the CSRF check below applies to everyone, signed in or not

    @extend_schema(request=AuthTokenSerializer, responses={200: UserSerializer})
    def post(self, request):
        # DRF checks CSRF only for requests its SessionAuthentication authenticated; a login form
        # must be checked too, or another site could sign a visitor in as someone else.
        SessionAuthentication().enforce_csrf(request)
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        login(request._request, user)
        return Response(UserSerializer(selectors.user_with_roles(user)).data)


class LogoutView(APIView):
    """Signs out. Sent with `Authorization: Token …` (a script), revokes that token: it stops
    working at once. Without (the browser), ends the session. 204, whether or not a session was
    open; a token that is unknown or expired is a 401."""

    permission_classes = [AllowAny]
    authentication_classes = [TokenAuthentication]  # the session is ended below, CSRF-checked

    @extend_schema(request=None, responses={204: None}, auth=[{"tokenAuth": []}, {"cookieAuth": []}, {}])
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.auth_token_revoke(token=request.auth)
        else:
            SessionAuthentication().enforce_csrf(request)
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutEverywhereView(APIView):
    """Revokes every token of the signed-in user (a key that leaked, a lost device) and ends
    this session. 204."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.auth_tokens_revoke_all(user=request.user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UserSerializer})
    def get(self, request):
        return Response(UserSerializer(selectors.user_with_roles(request.user)).data)


class EmailConfirmationRequestView(AuthThrottled, APIView):
    """Sends the signed-in person a link that confirms their e-mail address (valid 3 days). 202."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={202: None})
    def post(self, request):
        services.email_confirmation_request(user=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)


class EmailConfirmView(AuthThrottled, APIView):
    """The link's token confirms the address it was sent to; opening it twice is fine."""

    permission_classes = [AllowAny]
    authentication_classes = []  # the token says who; a stale session must not trip CSRF

    @extend_schema(request=EmailConfirmSerializer, responses={200: UserSerializer})
    def post(self, request):
        serializer = EmailConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.email_confirm(token=serializer.validated_data["token"])
        return Response(UserSerializer(selectors.user_with_roles(user)).data)


class NetworkFilter(FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=Network.objects.all())
    top_level = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="by_level", label="top-level networks only (or not)"
    )

    class Meta:
        model = Network
        fields = ["parent", "top_level", "kind"]

    def by_level(self, queryset, name, value):
        return queryset.filter(parent__isnull=value == "true")


class NetworkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Library networks: the national body, associations, provinces; a tree by `parent`."""

    permission_classes = [OrganizerWritesOthersRead, ManagesObject]
    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.networks_list()

    def get_serializer_class(self):
        return NetworkUpdateSerializer if self.action == "partial_update" else NetworkSerializer

    def perform_create(self, serializer):
        network = services.network_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=network.pk)

    def perform_update(self, serializer):
        services.network_update(actor=self.request.user, network=serializer.instance, **serializer.validated_data)

    @extend_schema(request=NetworkUpdateSerializer, responses={200: NetworkSerializer})
    def partial_update(self, request, *args, **kwargs):
        super().partial_update(request, *args, **kwargs)
        return Response(NetworkSerializer(self.get_queryset().get(pk=kwargs["pk"])).data)


class LibraryFilter(FilterSet):
    network = NetworkSubtreeFilter(path_field="network__path")

    class Meta:
        model = Library
        fields = ["network"]


class LibraryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Libraries, each in one network. `?search=` serves the registration form's picker."""

    permission_classes = [OrganizerWritesOthersRead, ManagesObject]
    serializer_class = LibrarySerializer
    filterset_class = LibraryFilter
    search_fields = ["name", "short_name", "network__name", "network__short_name"]
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.libraries_list()

    def perform_create(self, serializer):
        serializer.instance = services.library_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.library_update(
            actor=self.request.user, library=serializer.instance, **serializer.validated_data
        )
