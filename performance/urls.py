from django.urls import path

from performance import views

app_name = "performance"

# Included under contracts/, so every page sits under its contract.
urlpatterns = [
    path("<int:pk>/kpis/", views.KpiListView.as_view(), name="kpi_list"),
    path("<int:pk>/kpis/from-templates/", views.KpiTemplatesView.as_view(), name="kpi_templates"),
    path("<int:pk>/kpis/add/", views.KpiAddView.as_view(), name="kpi_add"),
    path("<int:pk>/kpis/<int:kpi_pk>/edit/", views.KpiEditView.as_view(), name="kpi_edit"),
    path("<int:pk>/kpis/<int:kpi_pk>/remove/", views.KpiRemoveView.as_view(), name="kpi_remove"),
    path("<int:pk>/returns/add/", views.ReturnRecordView.as_view(), name="return_add"),
    path(
        "<int:pk>/returns/<int:return_pk>/record/",
        views.ReturnRecordView.as_view(),
        name="return_record",
    ),
    path(
        "<int:pk>/returns/<int:return_pk>/", views.ReturnDetailView.as_view(), name="return_detail"
    ),
    path(
        "<int:pk>/returns/<int:return_pk>/review/",
        views.ReturnReviewView.as_view(),
        name="return_review",
    ),
]
