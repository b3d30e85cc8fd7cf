from django.urls import path
from rest_framework.routers import SimpleRouter

from certificates import views

router = SimpleRouter()
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("contests", views.ContestCertificatesViewSet, basename="contest")
router.register("jobs", views.JobViewSet, basename="job")

urlpatterns = [
    path("certificates/verify/<str:code>/", views.VerifyView.as_view(), name="certificate-verify"),
    *router.urls,
]
