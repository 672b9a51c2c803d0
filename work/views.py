from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from work.selectors import queue_for

PER_PAGE = 50


class QueueView(TemplateView):
    """Your work: the home page. Every signed-in user has one; what is on it
    is theirs alone (or, in the team view, their service areas')."""

    template_name = "work/queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        wants_team = self.request.GET.get("view") == "team"
        mine = queue_for(user, today=today)
        # The navigation counts the person's own queue: it is already read.
        self.request.work_queue_total = mine.total
        may_see_team = bool(mine.audience.areas)
        team = wants_team and may_see_team
        queue = queue_for(user, today=today, team=True) if team else mine
        page = Paginator(queue.items, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            queue=queue,
            mine=mine,
            page=page,
            items=page.object_list,
            team=team,
            may_see_team=may_see_team,
            today=today,
            **kwargs,
        )
