from django.urls import path
from rest_framework.routers import SimpleRouter

from results import views

router = SimpleRouter()
router.register("contests", views.ContestResultsViewSet, basename="contest")
router.register("awards", views.AwardViewSet, basename="award")
router.register("collective_awards", views.CollectiveAwardViewSet, basename="collective-award")

urlpatterns = [
    path("rounds/<int:pk>/results/", views.RoundResultsView.as_view(), name="round-results"),
    *router.urls,
]
