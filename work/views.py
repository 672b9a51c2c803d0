from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from work.selectors import Queue, audience, queue_counts, queue_items, team_of

PER_PAGE = 50


class QueueView(TemplateView):
    """Your work: the home page. Every signed-in user has one; what is on it
    is theirs alone (or, in the team view, their service areas')."""

    template_name = "work/queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        mine = audience(user)
        may_see_team = bool(mine.areas)
        team = self.request.GET.get("view") == "team" and may_see_team
        who = team_of(mine) if team else mine
        counts = {k: n for k, n in queue_counts(user, today=today, who=who).items() if n}
        # The page number is checked against the whole count; then only the
        # items up to the end of that page are read, oldest first.
        page = Paginator(range(sum(counts.values())), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        items = queue_items(user, who=who, today=today, oldest=page.number * PER_PAGE)
        queue = Queue(audience=who, items=items, counts=counts)
        # The navigation counts the person's own queue: here it is counted already.
        if not team:
            self.request.work_queue_total = queue.total
        return super().get_context_data(
            queue=queue,
            page=page,
            items=items[(page.number - 1) * PER_PAGE :],
            team=team,
            may_see_team=may_see_team,
            today=today,
            **kwargs,
        )
