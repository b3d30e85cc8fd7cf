from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.home, name="home"),
    path("contests/<int:contest_id>/", views.contest, name="contest-page"),
    path("contests/<int:contest_id>/results/", views.results, name="results-page"),
    path("contests/<int:contest_id>/leaderboard/", views.leaderboard, name="leaderboard-page"),
    # /verify/<code>/ stays the plain page the certificates' QR codes open (certificates.views).
    path("certificates/verify/", views.verify, name="verify-app-page"),
    path("signin/", views.signin, name="signin-page"),
]
