from django.urls import path

from procurement.views import (
    award,
    call_offs,
    cancel,
    criteria,
    evaluation,
    packages,
    public,
    systems,
)

app_name = "procurement"

urlpatterns = [
    path("", systems.SystemListView.as_view(), name="system_list"),
    path("systems/add/", systems.SystemCreateView.as_view(), name="system_create"),
    path("systems/<int:pk>/", systems.SystemDetailView.as_view(), name="system_detail"),
    path("systems/<int:pk>/lots/add/", systems.LotCreateView.as_view(), name="lot_create"),
    path("systems/<int:pk>/windows/add/", systems.WindowCreateView.as_view(), name="window_create"),
    path(
        "systems/<int:pk>/questions/add/",
        systems.QuestionCreateView.as_view(),
        name="question_create",
    ),
    path(
        "systems/<int:pk>/applications/add/",
        systems.ApplicationCreateView.as_view(),
        name="application_create",
    ),
    path(
        "applications/<int:pk>/", systems.ApplicationDetailView.as_view(), name="application_detail"
    ),
    path(
        "applications/<int:pk>/answers/",
        systems.ApplicationAnswersView.as_view(),
        name="application_answers",
    ),
    path(
        "admissions/<int:pk>/decide/",
        systems.AdmissionDecideView.as_view(),
        name="admission_decide",
    ),
    path(
        "lots/<int:pk>/call-offs/add/",
        call_offs.CallOffCreateView.as_view(),
        name="call_off_create",
    ),
    path(
        "lots/<int:pk>/packages/add/", packages.PackageCreateView.as_view(), name="package_create"
    ),
    path("call-offs/<int:pk>/", call_offs.CallOffDetailView.as_view(), name="call_off_detail"),
    path(
        "call-offs/<int:pk>/criteria/add/",
        call_offs.CriterionCreateView.as_view(),
        name="criterion_create",
    ),
    path("call-offs/<int:pk>/criteria/", criteria.CriteriaView.as_view(), name="criteria"),
    path(
        "call-offs/<int:pk>/criteria/<int:criterion_pk>/change/",
        criteria.CriterionEditView.as_view(),
        name="criterion_edit",
    ),
    path(
        "call-offs/<int:pk>/criteria/<int:criterion_pk>/remove/",
        criteria.CriterionRemoveView.as_view(),
        name="criterion_remove",
    ),
    path("call-offs/<int:pk>/cancel/", cancel.CallOffCancelView.as_view(), name="call_off_cancel"),
    path("call-offs/<int:pk>/invite/", call_offs.CallOffOpenView.as_view(), name="call_off_open"),
    path(
        "call-offs/<int:pk>/clarifications/add/",
        call_offs.ClarificationCreateView.as_view(),
        name="clarification_create",
    ),
    path(
        "call-offs/<int:pk>/direct-award/", call_offs.DirectAwardView.as_view(), name="direct_award"
    ),
    path(
        "call-offs/<int:pk>/evaluation/start/",
        call_offs.EvaluationStartView.as_view(),
        name="evaluation_start",
    ),
    path(
        "call-offs/<int:pk>/evaluators/add/",
        call_offs.EvaluatorAddView.as_view(),
        name="evaluator_add",
    ),
    path(
        "call-offs/<int:pk>/bids/<int:bid_pk>/",
        call_offs.BidDetailView.as_view(),
        name="bid_detail",
    ),
    path(
        "call-offs/<int:pk>/bids/<int:bid_pk>/documents/<int:doc_pk>/",
        call_offs.BidDocumentView.as_view(),
        name="bid_document",
    ),
    path(
        "call-offs/<int:pk>/moderation/<int:bid_pk>/",
        call_offs.ModerationView.as_view(),
        name="moderation",
    ),
    path("call-offs/<int:pk>/results/", call_offs.ResultsView.as_view(), name="results"),
    path("call-offs/<int:pk>/results.pdf", call_offs.ResultsPdfView.as_view(), name="results_pdf"),
    path("call-offs/<int:pk>/approve/", award.ResultsApproveView.as_view(), name="results_approve"),
    path("call-offs/<int:pk>/award/", award.AwardView.as_view(), name="award"),
    path("call-offs/<int:pk>/award/check/", award.AwardCheckView.as_view(), name="award_check"),
    path(
        "call-offs/<int:pk>/award/letters/", award.AwardLettersView.as_view(), name="award_letters"
    ),
    path(
        "call-offs/<int:pk>/award/letters/<int:bid_pk>.pdf",
        award.AwardLetterPdfView.as_view(),
        name="award_letter",
    ),
    path("evaluations/", evaluation.MyEvaluationsView.as_view(), name="my_evaluations"),
    path("evaluations/<int:pk>/", evaluation.EvaluationView.as_view(), name="evaluation"),
    path(
        "evaluations/<int:pk>/declaration/",
        evaluation.DeclarationView.as_view(),
        name="declaration",
    ),
    path(
        "evaluations/<int:pk>/bids/<int:bid_pk>/",
        evaluation.ScoreBidView.as_view(),
        name="score_bid",
    ),
    path("evaluations/<int:pk>/check/", evaluation.CheckAnswersView.as_view(), name="check_scores"),
    path("packages/<int:pk>/", packages.PackageDetailView.as_view(), name="package_detail"),
    path(
        "packages/<int:pk>/bids/add/",
        packages.PackageBidCreateView.as_view(),
        name="package_bid_create",
    ),
    path("packages/<int:pk>/choice/", packages.ChoiceView.as_view(), name="package_choice"),
    path("packages/<int:pk>/cancel/", cancel.PackageCancelView.as_view(), name="package_cancel"),
    path("packages/<int:pk>/award/", packages.PackageAwardView.as_view(), name="package_award"),
    path("package-bids/<int:pk>/panel/", packages.PanelView.as_view(), name="package_panel"),
    path(
        "package-bids/<int:pk>/meet-and-greet/",
        packages.MeetAndGreetView.as_view(),
        name="meet_and_greet",
    ),
    path("bid/<str:token>/", public.ProviderBidView.as_view(), name="provider_bid"),
]
