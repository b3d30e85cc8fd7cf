from django.urls import path
from rest_framework.routers import SimpleRouter

from submissions import views

router = SimpleRouter()
router.register("entries", views.EntryViewSet, basename="entry")

urlpatterns = [
    path("contests/<int:contest_id>/entries/", views.EntrySubmitView.as_view(), name="contest-entries"),
    path("contests/<int:contest_id>/entries/export/", views.EntriesExportView.as_view(), name="contest-entries-export"),
    path("contests/<int:contest_id>/paper_entries/", views.PaperEntryView.as_view(), name="contest-paper-entries"),
    path(
        "contests/<int:contest_id>/paper_entries/import/",
        views.PaperImportView.as_view(),
        name="contest-paper-entries-import",
    ),
    path(
        "contests/<int:contest_id>/library_summary/", views.LibrarySummaryView.as_view(), name="contest-library-summary"
    ),
    *router.urls,
]
