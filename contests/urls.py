from rest_framework.routers import SimpleRouter

from contests import views

router = SimpleRouter()
router.register("contests", views.ContestViewSet, basename="contest")

urlpatterns = router.urls
