"""Under /contracts/<pk>/documents/ (config/urls.py)."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("add/", views.DocumentUploadView.as_view(), name="add"),
    path("downloads/", views.DownloadLogView.as_view(), name="downloads"),
    path("<int:doc_pk>/download/", views.DocumentDownloadView.as_view(), name="download"),
    path("<int:doc_pk>/withdraw/", views.DocumentWithdrawView.as_view(), name="withdraw"),
]
