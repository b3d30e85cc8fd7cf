from rest_framework.routers import SimpleRouter

from screening import views

router = SimpleRouter()
router.register("contests", views.ContestScreeningViewSet, basename="contest")
router.register("screening/runs", views.RunViewSet, basename="screening-run")
router.register("screening/pairs", views.PairViewSet, basename="screening-pair")

urlpatterns = router.urls
