from rest_framework.routers import SimpleRouter

from judging import views

router = SimpleRouter()
router.register("rounds", views.RoundViewSet, basename="round")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = router.urls
