from django.urls import path

from contracts import views_changes as views

urlpatterns = [
    path("<int:pk>/changes/", views.ChangeListView.as_view(), name="change_list"),
    path("<int:pk>/changes/new/", views.ChangeRaiseView.as_view(), name="change_raise"),
    path(
        "<int:pk>/changes/<int:change_pk>/", views.ChangeDetailView.as_view(), name="change_detail"
    ),
    path(
        "<int:pk>/changes/<int:change_pk>/decide/",
        views.ChangeDecideView.as_view(),
        name="change_decide",
    ),
    path(
        "<int:pk>/changes/<int:change_pk>/authority-decision/",
        views.ChangeAuthorityDecisionView.as_view(),
        name="change_authority",
    ),
    path(
        "<int:pk>/changes/<int:change_pk>/withdraw/",
        views.ChangeWithdrawView.as_view(),
        name="change_withdraw",
    ),
]
