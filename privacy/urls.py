from django.urls import path
from rest_framework.routers import SimpleRouter

from privacy import views

router = SimpleRouter()
router.register("contests", views.ContestPrivacyViewSet, basename="contest")
router.register("privacy/guardian-consents", views.GuardianConsentViewSet, basename="guardian-consent")

urlpatterns = [
    path("privacy/me/", views.PrivacyMeView.as_view(), name="privacy-me"),
    path("privacy/me/publish-consent/", views.PublishConsentView.as_view(), name="privacy-publish-consent"),
    *router.urls,
]
