"""The KPI chart's geometry and markup (performance.charts), directly."""

from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from performance import charts

SVG = "{http://www.w3.org/2000/svg}"
# Figures as a KPI stores them: 14 digits, 2 decimal places.
measures = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
series = st.lists(st.none() | measures, min_size=0, max_size=40)
tolerances = st.decimals(
    min_value=Decimal(0), max_value=Decimal("1000000"), places=2, allow_nan=False
)
directions = st.sampled_from([charts.HIGHER, charts.LOWER])


def inside(box: charts.Box, x: float, y: float) -> bool:
    return box.left <= x <= box.right and box.top <= y <= box.bottom


def expected_y(g: charts.Geometry, value: Decimal) -> float:
    share = float((value - g.bottom) / (g.top - g.bottom))
    return g.plot.bottom - share * g.plot.height


@given(values=series, target=measures, tolerance=tolerances, direction=directions)
def test_every_point_the_target_and_the_band_are_inside_the_plot_area(
    values, target, tolerance, direction
):
    g = charts.chart_geometry(values, target=target, tolerance=tolerance, direction=direction)
    assert g.bottom < g.top
    for point in g.points:
        assert g.plot.left < point.x < g.plot.right
        if point.y is not None:
            assert inside(g.plot, point.x, point.y)
    assert g.plot.top <= g.target_y <= g.plot.bottom
    if g.band:
        assert g.plot.top <= g.band[0] <= g.band[1] <= g.plot.bottom
    for tick in g.ticks:
        assert g.plot.top <= tick.y <= g.plot.bottom


@given(values=series, target=measures, tolerance=tolerances, direction=directions)
def test_the_target_line_and_each_point_are_at_the_height_of_their_figure(
    values, target, tolerance, direction
):
    g = charts.chart_geometry(values, target=target, tolerance=tolerance, direction=direction)
    # To the nearest whole pixel.
    assert abs(g.target_y - expected_y(g, target)) <= 0.501
    for point, value in zip(g.points, values, strict=True):
        assert point.value == value
        if value is None:
            assert point.y is None
        else:
            assert abs(point.y - expected_y(g, value)) <= 0.501


@given(values=series, target=measures)
def test_a_higher_figure_is_drawn_higher_up(values, target):
    g = charts.chart_geometry(values, target=target)
    reported = [p for p in g.points if p.y is not None]
    for a in reported:
        for b in reported:
            if a.value > b.value:
                assert a.y <= b.y


@given(values=series, target=measures)
def test_periods_run_left_to_right_oldest_first_and_gaps_split_the_line(values, target):
    g = charts.chart_geometry(values, target=target)
    xs = [p.x for p in g.points]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    drawn = [p for run in g.runs for p in run]
    assert [p.index for p in drawn] == [i for i, v in enumerate(values) if v is not None]
    for run in g.runs:
        assert [p.index for p in run] == list(range(run[0].index, run[-1].index + 1))


@given(values=series, target=measures)
def test_the_latest_period_is_always_labelled_and_labels_do_not_crowd(values, target):
    g = charts.chart_geometry(values, target=target)
    if values:
        assert g.labelled[-1] == len(values) - 1
    assert len(g.labelled) <= charts.MAX_PERIOD_LABELS


@given(value=measures, n=st.integers(min_value=1, max_value=30))
def test_all_figures_equal_to_the_target_still_give_a_scale(value, n):
    g = charts.chart_geometry([value] * n, target=value)
    assert g.bottom < value < g.top
    assert {p.y for p in g.points} == {g.target_y}


def test_a_single_point_sits_in_the_middle():
    g = charts.chart_geometry([Decimal("92.5")], target=Decimal(95))
    (point,) = g.points
    assert point.x == g.plot.left + g.plot.width / 2
    assert g.runs == ((point,),)


def test_nothing_reported_draws_the_target_and_no_points():
    g = charts.chart_geometry([None, None, None], target=Decimal(95), tolerance=Decimal(5))
    assert [p.y for p in g.points] == [None, None, None]
    assert g.runs == ()
    assert g.band is not None
    assert g.plot.top <= g.target_y <= g.plot.bottom


def test_no_periods_at_all():
    g = charts.chart_geometry([], target=Decimal(0))
    assert g.points == () and g.labelled == ()


def test_the_amber_band_lies_short_of_the_target_on_the_side_that_is_worse():
    higher = charts.chart_geometry([], target=Decimal(90), tolerance=Decimal(10))
    lower = charts.chart_geometry([], target=Decimal(90), tolerance=Decimal(10), direction="lower")
    assert charts.amber_band(Decimal(90), Decimal(10), "higher") == (Decimal(80), Decimal(90))
    assert charts.amber_band(Decimal(5), Decimal(2), "lower") == (Decimal(5), Decimal(7))
    # Drawn downwards: amber under the target line when higher is better,
    # over it when lower is.
    assert higher.band[0] == higher.target_y < higher.band[1]
    assert lower.band[0] < lower.band[1] == lower.target_y


@given(low=measures, high=measures)
def test_the_scale_covers_the_figures_on_round_steps(low, high):
    bottom, top, step = charts.nice_scale(low, high)
    assert bottom <= min(low, high) and top >= max(low, high) and bottom < top
    assert step > 0 and (top - bottom) % step == 0
    assert (top - bottom) / step <= charts.TICKS + 2
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5)


def test_figures_are_written_as_people_write_them():
    assert charts.format_number(Decimal("92.50")) == "92.5"
    assert charts.format_number(Decimal("1200.00")) == "1,200"
    assert charts.format_number(Decimal("-0.00")) == "0"
    assert charts.format_measure(Decimal("92.50"), "%") == "92.5%"
    assert charts.format_measure(Decimal("1234.5"), "£") == "£1,234.50"
    assert charts.format_measure(Decimal("12"), "people") == "12 people"
    assert charts.format_measure(None, "%") == "Not reported"
    assert charts.period_label(date(2025, 4, 1), date(2025, 6, 30)) == "April to June 2025"
    assert charts.period_label(date(2025, 4, 1), date(2026, 3, 31)) == "April 2025 to March 2026"
    assert charts.period_label(date(2026, 1, 1), date(2026, 1, 31)) == "January 2026"


def parse(markup: str):
    # The chart this module drew, not untrusted input.
    return ElementTree.fromstring(markup)  # noqa: S314  # nosec B314


def draw(values, *, name="Outcomes met", unit="%"):
    ends = [date(2025, 3 + 3 * i if i < 4 else 12, 28) for i in range(len(values))]
    labels = [f"Period {i + 1}" for i in range(len(values))]
    g = charts.chart_geometry(values, target=Decimal(95), tolerance=Decimal(5))
    return charts.chart_svg(
        g,
        chart_id="kpi-1-chart",
        title=f"{name}: the actual each period against the target",
        description=charts.chart_description(
            values,
            target=Decimal(95),
            tolerance=Decimal(5),
            direction="higher",
            unit=unit,
            period_labels=labels,
        ),
        unit=unit,
        point_labels=[
            f"{label}: {charts.format_measure(v, unit)}"
            for label, v in zip(labels, values, strict=True)
        ],
        period_ends=ends,
    )


def test_the_chart_names_itself_and_labels_its_axes_in_text():
    svg = parse(draw([Decimal(96), None, Decimal("91.5")]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "kpi-1-chart-title kpi-1-chart-desc"
    assert svg.find(f"{SVG}title").get("id") == "kpi-1-chart-title"
    desc = svg.find(f"{SVG}desc").text
    assert "Target 95%, higher is better." in desc
    assert "Amber from 90% to 95%." in desc
    assert "3 periods: 2 reported, 1 not reported." in desc
    assert "Latest: Period 3, 91.5%." in desc
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Target" in texts and "Actual (%)" in texts
    assert "Period (by the month it ends)" in texts
    assert [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")] == [
        "Period 1: 96%",
        "Period 3: 91.5%",
    ]
    # The gap: two points, no line between them.
    assert list(svg.iter(f"{SVG}polyline")) == []


def test_stored_text_is_escaped_in_the_chart():
    name = 'Tenancies <script>alert("x")</script> & more'
    unit = "<b>%</b>"
    markup = draw([Decimal(1)], name=name, unit=unit)
    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text.startswith(name)
    assert f"Actual ({unit})" in [t.text for t in svg.iter(f"{SVG}text")]
