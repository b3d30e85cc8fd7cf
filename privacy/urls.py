from django.urls import path
from rest_framework.routers import SimpleRouter

from privacy import views

router = SimpleRouter()
router.register("contests", views.ContestPrivacyViewSet, basename="contest")
router.register("privacy/guardian-consents", views.GuardianConsentViewSet, basename="guardian-consent")
router.register("privacy/erasure-requests", views.ErasureRequestViewSet, basename="erasure-request")

urlpatterns = [
    path("privacy/me/", views.PrivacyMeView.as_view(), name="privacy-me"),
    path("privacy/me/publish-consent/", views.PublishConsentView.as_view(), name="privacy-publish-consent"),
    path("privacy/me/export/", views.ExportView.as_view(), name="privacy-export"),
    path("privacy/me/erasure/", views.ErasureAskView.as_view(), name="privacy-erasure"),
    *router.urls,
]
