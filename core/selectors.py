"""Reads for the home page."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class DashboardCard:
    title: str
    figure: int
    description: str
    href: str


def dashboard_for(user) -> list[DashboardCard]:
    from contracts.selectors import contract_counts, decisions_due_count
    from providers.selectors import provider_counts

    cards = []
    if user.has_perm("contracts.view_contract"):
        counts = contract_counts()
        cards.append(
            DashboardCard(
                title="Contracts",
                figure=counts["current"],
                description=f"{counts['ending']} ending, {counts['decisions_due']} "
                f"extension decision{'s' if counts['decisions_due'] != 1 else ''} due "
                "in the next 3 months",
                href=reverse("contracts:list"),
            )
        )
        due = decisions_due_count(user=user)
        cards.append(
            DashboardCard(
                title="Decisions due",
                figure=due,
                description="Contracts ending, extension decisions and requests waiting that "
                "your reminders have raised and that are still open, and monitoring returns "
                "and reviews due on your contracts",
                href=reverse("contracts:decisions_due"),
            )
        )
    if user.has_perm("procurement.score_bids"):
        from procurement.models import EvaluatorAssignment

        to_score = EvaluatorAssignment.objects.filter(evaluator=user, submitted_at=None).exclude(
            has_conflict=True
        )
        cards.append(
            DashboardCard(
                title="Your evaluations",
                figure=to_score.count(),
                description="Call-offs waiting for your declaration or your scores",
                href=reverse("procurement:my_evaluations"),
            )
        )
    if user.has_perm("providers.view_provider"):
        counts = provider_counts()
        cards.append(
            DashboardCard(
                title="Providers",
                figure=counts["total"],
                description=f"{counts['sme']} SME, {counts['vcse']} VCSE",
                href=reverse("providers:list"),
            )
        )
    return cards
