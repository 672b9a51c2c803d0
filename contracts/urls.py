from django.urls import path

from contracts import urls_changes, views, views_import

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="list"),
    path("export.<str:fmt>", views.ContractExportView.as_view(), name="export"),
    path("add/", views.ContractCreateView.as_view(), name="create"),
    path("import/", views_import.RegisterUploadView.as_view(), name="import"),
    path("import/<int:pk>/", views_import.RegisterPreviewView.as_view(), name="import_preview"),
    path("decisions-due/", views.DecisionsDueView.as_view(), name="decisions_due"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContractUpdateView.as_view(), name="edit"),
    path("<int:pk>/history/", views.ContractHistoryView.as_view(), name="history"),
    path("<int:pk>/terminate/", views.ContractTerminateView.as_view(), name="terminate"),
    path("<int:pk>/earlier-options/", views.EarlierOptionsView.as_view(), name="earlier_options"),
    path(
        "<int:pk>/extensions/request/",
        views.ExtensionRequestView.as_view(),
        name="extension_request",
    ),
    path(
        "<int:pk>/extensions/<int:request_pk>/decide/",
        views.ExtensionDecideView.as_view(),
        name="extension_decide",
    ),
    path(
        "<int:pk>/extensions/<int:request_pk>/withdraw/",
        views.ExtensionWithdrawView.as_view(),
        name="extension_withdraw",
    ),
    path(
        "<int:pk>/extensions/<int:request_pk>/authority-decision/",
        views.AuthorityDecisionView.as_view(),
        name="extension_authority",
    ),
    *urls_changes.urlpatterns,
]
