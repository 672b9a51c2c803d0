"""A contract's performance failures and improvement plans, under
/contracts/<pk>/ beside the contract's own pages."""

from django.urls import path

from performance import views_failures as views

app_name = "failures"

urlpatterns = [
    path("<int:pk>/failures/", views.FailureListView.as_view(), name="list"),
    path("<int:pk>/failures/record/", views.FailureCreateView.as_view(), name="create"),
    path("<int:pk>/failures/<int:failure_pk>/", views.FailureDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/failures/<int:failure_pk>/update/",
        views.FailureUpdateView.as_view(),
        name="edit",
    ),
    path("<int:pk>/improvement-plans/", views.PlanListView.as_view(), name="plan_list"),
    path("<int:pk>/improvement-plans/warn/", views.PlanWarnView.as_view(), name="plan_warn"),
    path(
        "<int:pk>/improvement-plans/<int:plan_pk>/",
        views.PlanDetailView.as_view(),
        name="plan_detail",
    ),
    path(
        "<int:pk>/improvement-plans/<int:plan_pk>/close/",
        views.PlanCloseView.as_view(),
        name="plan_close",
    ),
]
