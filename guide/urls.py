from django.urls import path

from guide import views

urlpatterns = [
    path("me/home/", views.HomeView.as_view(), name="me-home"),
]
