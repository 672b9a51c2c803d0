from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("budget-lines/", views.BudgetLineListView.as_view(), name="budget_line_list"),
    path("budget-lines/add/", views.BudgetLineCreateView.as_view(), name="budget_line_create"),
    path(
        "budget-lines/<int:pk>/change/",
        views.BudgetLineEditView.as_view(),
        name="budget_line_edit",
    ),
    path(
        "budget-lines/<int:pk>/remove/",
        views.BudgetLineRemoveView.as_view(),
        name="budget_line_remove",
    ),
    path("savings/", views.RecommissioningListView.as_view(), name="recommissioning_list"),
    path("savings/<slug:slug>/", views.RecommissioningView.as_view(), name="recommissioning"),
    path(
        "savings/<slug:slug>/cabinet-summary.<str:fmt>",
        views.RecommissioningDownloadView.as_view(),
        name="cabinet_summary",
    ),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/<int:pk>/", views.SchemeView.as_view(), name="scheme"),
    path("residents/<int:pk>/review/", views.ResidentReviewView.as_view(), name="resident_review"),
    path("reports/add/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="report"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="report_download"),
]
