from django.urls import path

from voting import views

urlpatterns = [
    path(
        "contests/<int:contest_id>/public-votes/", views.ContestPublicVotesView.as_view(), name="contest-public-votes"
    ),
    path("public-votes/<int:pk>/", views.PublicVoteView.as_view(), name="public-vote-detail"),
    path("public-votes/<int:pk>/entries/", views.GalleryView.as_view(), name="public-vote-entries"),
    path("public-votes/<int:pk>/entries/<int:entry_id>/", views.GalleryEntryView.as_view(), name="public-vote-entry"),
    path("public-votes/<int:pk>/ballot/", views.BallotView.as_view(), name="public-vote-ballot"),
    path("public-votes/<int:pk>/fraud/", views.FraudView.as_view(), name="public-vote-fraud"),
    path("public-votes/<int:pk>/ballots/", views.OrganizerBallotsView.as_view(), name="public-vote-ballots"),
    path("public-votes/<int:pk>/void/", views.VoidView.as_view(), name="public-vote-void"),
    path("public-votes/<int:pk>/publish/", views.PublishView.as_view(), name="public-vote-publish"),
    path("public-votes/<int:pk>/results/", views.ResultsView.as_view(), name="public-vote-results"),
]
