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
    # Students
    path("register/", views.register, name="register-page"),
    path("my/entries/", views.student_entries, name="student-entries-page"),
    path("my/certificates/", views.student_certificates, name="student-certificates-page"),
    # Judges
    path("judge/", views.judge_queue, name="judge-queue-page"),
    path("judge/assignments/<int:assignment_id>/", views.judge_assignment, name="judge-assignment-page"),
    # Library staff
    path("library/", views.library, name="library-page"),
    # Organizers
    path("organize/", views.organize, name="organize-page"),
    path("organize/contests/<int:contest_id>/", views.organize_contest, name="organize-contest-page"),
    path("organize/rounds/<int:round_id>/", views.organize_round, name="organize-round-page"),
    path("organize/contests/<int:contest_id>/screening/", views.organize_screening, name="organize-screening-page"),
    # The people's choice: the public gallery, the e-mail link voters open, the fraud view
    path("votes/<int:vote_id>/", views.public_vote, name="public-vote-page"),
    path("confirm-email/", views.confirm_email, name="confirm-email-page"),
    path("organize/votes/<int:vote_id>/", views.organize_vote, name="organize-vote-page"),
]
