from django.urls import path

from guide import views

urlpatterns = [
    path("me/home/", views.HomeView.as_view(), name="me-home"),
    path("me/eligibility/", views.EligibilityView.as_view(), name="me-eligibility"),
    path("me/outcomes/", views.OutcomesView.as_view(), name="me-outcomes"),
]
