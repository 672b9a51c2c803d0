"""Every page of the permission matrix, each seen by one person per area.

The reflow test (tests/browser/test_reflow.py) and the caption test
(tests/core/test_table_captions.py) both walk these, so a page added to
MATRIX is checked by both without anyone listing it again.
"""

from django.test import Client
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.core.test_permission_matrix import AD, AM, AU, CO, EV, FO, MATRIX, PO

# The area's own role sees its pages; a page it may not see (an approval, the
# admin) goes to the first role below that may. Commissioning officers hold
# the register, so the register's areas and the pages everyone has are theirs.
AREA_ROLES = {"procurement": PO, "finance": FO, "admin": AD}
OTHERS = (CO, PO, AM, FO, AD, AU, EV)


def _owner(kind, pk):
    """In the matrix these records are someone else's, so every role gets
    "not found"; their owner sees the page itself (an evaluator's scoring,
    an officer's register preview), which is the page worth laying out."""
    from contracts.models import RegisterUpload
    from procurement.models import EvaluatorAssignment

    if kind == "assignment":
        return EvaluatorAssignment.objects.get(pk=pk).evaluator
    return RegisterUpload.objects.get(pk=pk).uploaded_by


OWNED = ("assignment", "register_upload")


def visitor(name):
    """The role that sees page `name`; None for signed-out, or the record
    kind whose owner does."""
    page = MATRIX[name]
    owned = [kind for kind in OWNED if kind in page.args]
    if owned:
        return owned[0]
    area = AREA_ROLES.get(name.split(":")[0], CO)
    for role in (area, *OTHERS):
        if role in page.allowed:
            return role
    return None  # the sign-in page: only the signed-out see it


def visits(objects, user_with_role):
    """{user or None: [(name, url), ...]} for every page the matrix reaches
    with GET, in the matrix's order; one user per role or owner."""
    users, pages = {}, {}
    for name, page in MATRIX.items():
        if page.method != "get":
            continue
        who = visitor(name)
        if who not in users:
            if who in OWNED:
                users[who] = _owner(who, objects[who])
            else:
                users[who] = None if who is None else user_with_role(who)
        url = reverse(name, args=[objects.get(a, a) for a in page.args])
        pages.setdefault(users[who], []).append((name, url))
    return pages


def html_pages(pages):
    """The same visits less downloads (CSV, PDF, documents) and anything
    else that is not a page, found by asking the app as each visitor."""
    kept = {}
    for user, urls in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for name, url in urls:
            response = client.get(url)
            if response["Content-Type"].startswith("text/html"):
                kept.setdefault(user, []).append((name, url, response))
    return kept


def pages_seen(objects):
    """(role, url) for every page a role opens and is shown (a 200), for the
    tests that check what every page shows to everyone who sees it."""
    for name, page in sorted(MATRIX.items()):
        if page.method != "get":
            continue
        url = reverse(name, args=[objects.get(a, a) for a in page.args])
        for role in ALL_ROLES:
            if page.expected(role) == 200:
                yield role, url
