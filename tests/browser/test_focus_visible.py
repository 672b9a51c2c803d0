"""Every element a keyboard reaches shows where focus is (WCAG 2.4.7 and
2.4.11), in the order of the page, on a set of pages that holds every kind
of control we have: the header's search, the service navigation, links
styled as buttons, filters, summary-list actions, tables, the budget chart,
details, radios and date inputs. The administrator sees the most controls.

An indicator is GOV.UK's focus state or anything as visible: an outline
that is not transparent, or a box-shadow or background that focus adds.
It must not be cut off by a parent that hides its overflow."""

import io

import pytest
from django.core.management import call_command

from tests.browser.test_provider_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The most Tab presses a page may take; beyond it focus is trapped.
MOST_STOPS = 400

# Reads the focused element's indicator, then its look without focus, and
# puts focus back so the next Tab carries on from it.
FOCUS_STATE = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = (s) => ({
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 &&
      !/rgba\(.*, 0\)$|transparent/.test(s.outlineColor),
    outlineReach: parseFloat(s.outlineWidth) + Math.max(0, parseFloat(s.outlineOffset)),
    shadow: s.boxShadow, background: s.backgroundColor, border: s.borderColor,
    visibility: s.visibility, opacity: s.opacity,
  });
  // GOV.UK radios and checkboxes hide the input and draw it, and its
  // focus ring, on the label's ::before.
  const label = el.nextElementSibling;
  const drawn = getComputedStyle(el).opacity === '0' && label && label.tagName === 'LABEL'
    ? [label, '::before'] : [el, null];
  const focused = look(getComputedStyle(...drawn));
  const rect = drawn[0].getBoundingClientRect();
  el.blur();
  const resting = look(getComputedStyle(...drawn));
  el.focus();
  const indicator = [];
  if (focused.outline) indicator.push('outline');
  if (focused.shadow !== 'none' && focused.shadow !== resting.shadow) indicator.push('shadow');
  if (focused.background !== resting.background &&
      !/rgba\(.*, 0\)$|transparent/.test(focused.background)) indicator.push('background');
  // How far focus is drawn beyond the element on each side: the outline
  // all round, each outer box-shadow by its offset, blur and spread.
  const out = focused.outline ? focused.outlineReach : 0;
  const reach = {left: out, right: out, top: out, bottom: out};
  if (indicator.includes('shadow')) {
    for (const shadow of focused.shadow.replace(/rgba?\([^)]*\)/g, '').split(',')) {
      if (shadow.includes('inset')) continue;
      const [x, y, blur = 0, spread = 0] = (shadow.match(/-?[\d.]+px/g) || []).map(parseFloat);
      const edge = blur + spread;
      reach.left = Math.max(reach.left, edge - x);
      reach.right = Math.max(reach.right, edge + x);
      reach.top = Math.max(reach.top, edge - y);
      reach.bottom = Math.max(reach.bottom, edge + y);
    }
  }
  const clippedBy = [];
  for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
    const s = getComputedStyle(p);
    if ([s.overflowX, s.overflowY].every((o) => o === 'visible')) continue;
    const box = p.getBoundingClientRect();
    const fits = (s.overflowX === 'visible' || (rect.left - reach.left >= box.left - 0.5 &&
        rect.right + reach.right <= box.right + 0.5)) &&
      (s.overflowY === 'visible' || (rect.top - reach.top >= box.top - 0.5 &&
        rect.bottom + reach.bottom <= box.bottom + 0.5));
    if (!fits) clippedBy.push(p.tagName.toLowerCase() + (p.className ? '.' + p.className : ''));
  }
  const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.id || '')
    .trim().split('\n')[0].slice(0, 50);
  return {
    node: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ` "${name}"`,
    indicator,
    hidden: rect.width < 1 || rect.height < 1 || focused.visibility === 'hidden' ||
      focused.opacity === '0',
    clippedBy,
    tabindex: el.tabIndex,
    order: Array.from(document.querySelectorAll('*')).indexOf(el),
  };
}"""


# Tab should stop at each of these once (at one radio of each group).
TABBABLE = """() => {
  const seen = new Set();
  return Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]'
  )).filter((el) => {
    if (el.disabled || el.tabIndex < 0 || el.type === 'hidden') return false;
    const shown = el.checkVisibility() || (el.type === 'radio' || el.type === 'checkbox') &&
      el.nextElementSibling && el.nextElementSibling.checkVisibility();
    if (!shown) return false;
    if (el.type === 'radio') {
      if (seen.has(el.name)) return false;
      seen.add(el.name);
    }
    return true;
  }).length;
}"""


def focus_problems(page) -> tuple[list[str], int]:
    """Tab from the top of the page to its end: what is wrong at each stop,
    and how many stops there were."""
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    problems, last_order, stops = [], -1, 0
    while True:
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None or state["order"] <= last_order:
            # Back to the start, or out of the page into the browser.
            break
        stops += 1
        where = state["node"]
        if not state["indicator"]:
            problems.append(f"{where}: no visible focus indicator")
        if state["hidden"]:
            problems.append(f"{where}: focused but not shown")
        if state["clippedBy"]:
            problems.append(f"{where}: focus cut off by {', '.join(state['clippedBy'])}")
        if state["tabindex"] > 0:
            problems.append(f"{where}: tabindex {state['tabindex']} jumps the page's order")
        last_order = state["order"]
        if stops >= MOST_STOPS:
            problems.append(f"focus did not leave the page after {MOST_STOPS} Tab presses")
            break
    tabbable = page.evaluate(TABBABLE)
    if stops != tabbable:
        problems.append(f"Tab stopped {stops} times for {tabbable} focusable elements")
    return problems, stops


def _pages():
    from contracts.models import Contract
    from finance.models import Recommissioning
    from procurement.models import CallOff
    from providers.models import Provider

    contract = Contract.objects.get(reference="ILSS-2019-01")
    call_off = CallOff.objects.filter(bids__isnull=False).order_by("pk").first()
    return [
        "/",
        "/contracts/",
        contract.get_absolute_url(),
        f"/contracts/{contract.pk}/edit/",
        "/finance/",
        call_off.get_absolute_url(),
        "/notifications/",
        "/search/?q=living",
        Provider.objects.order_by("pk").first().get_absolute_url(),
        f"/finance/savings/{Recommissioning.objects.order_by('pk').first().slug}/",
    ]


def test_every_focusable_element_shows_focus_and_is_not_cut_off(live_server, page_factory):
    call_command("load_demo_data", allow_production=True, stdout=io.StringIO())
    from core.models import User
    from tests.factories import PASSWORD

    administrator = User.objects.get(username="administrator")
    administrator.set_password(PASSWORD)
    administrator.save()
    page = page_factory()
    sign_in(page, live_server, "administrator")
    page.wait_for_url(f"{live_server.url}/")
    failures, stops = [], {}
    for path in _pages():
        page.goto(f"{live_server.url}{path}")
        problems, stops[path] = focus_problems(page)
        failures += [f"{path}: {problem}" for problem in problems]
    print("Tab stops:", stops)
    assert not failures, f"{len(failures)} focus problems:\n" + "\n".join(failures)
