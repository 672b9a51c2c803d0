from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from search import selectors
from search.forms import SearchForm
from search.sources import BY_KIND, SOURCES

PAGE_SIZE = 20


class SearchView(TemplateView):
    """Open to everyone signed in: what each may find is decided per kind of
    record (search.selectors.visible), so a user finds only what they could
    open."""

    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        searched = "q" in self.request.GET
        form = SearchForm(self.request.GET if searched else None)
        context.update(form=form, searched=searched)
        if not searched or not form.is_valid():
            return context
        user = self.request.user
        text = form.cleaned_data["q"]
        kinds = [s for s in SOURCES if s in selectors.visible(user)]
        kind = self.request.GET.get("type")
        if kind not in {s.kind for s in kinds}:
            kind = None
        found = selectors.search(user=user, text=text, kind=kind)
        page = Paginator(found, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            text=text,
            kind=kind,
            kind_plural=BY_KIND[kind].plural if kind else "",
            total=sum(found.counts.values()),
            all_href="?" + urlencode({"q": text}),
            filters=[
                {
                    "kind": s.kind,
                    "label": s.plural,
                    "count": found.counts.get(s.kind, 0),
                    "href": "?" + urlencode({"q": text, "type": s.kind}),
                }
                for s in kinds
            ],
            results=selectors.results(
                list(page.object_list), user=user, today=timezone.localdate()
            ),
            shown_count=found.total,
            page_obj=page,
            is_paginated=page.has_other_pages(),
        )
        return context
