from django.urls import path
from rest_framework.routers import SimpleRouter

from people import views

router = SimpleRouter()
router.register("networks", views.NetworkViewSet, basename="network")
router.register("libraries", views.LibraryViewSet, basename="library")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/login/", views.SessionLoginView.as_view(), name="auth-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout/all/", views.LogoutEverywhereView.as_view(), name="auth-logout-all"),
    path("auth/me/", views.MeView.as_view(), name="auth-me"),
    path("auth/email/confirmation/", views.EmailConfirmationRequestView.as_view(), name="auth-email-confirmation"),
    path("auth/email/confirm/", views.EmailConfirmView.as_view(), name="auth-email-confirm"),
    *router.urls,
]
