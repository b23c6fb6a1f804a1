from decimal import Decimal
from xml.etree import ElementTree

from core.charts import bar_chart, line_chart, two_line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ElementTree.fromstring(str(svg))


def test_line_chart_draws_a_dot_per_value_and_breaks_at_gaps():
    svg = parse(
        line_chart([("Q1", Decimal("1")), ("Q2", None), ("Q3", 3), ("Q4", 4)], title="Trend")
    )
    assert svg.find(f"{SVG}title").text == "Trend"
    assert len(svg.findall(f"{SVG}circle")) == 3
    # Q1 stands alone (a gap follows), Q3-Q4 form one line
    assert len(svg.findall(f"{SVG}polyline")) == 1


def test_line_chart_puts_higher_values_higher_and_draws_the_target():
    svg = parse(line_chart([("a", 1), ("b", 5)], title="t", target=3))
    low, high = (float(c.get("cy")) for c in svg.findall(f"{SVG}circle"))
    assert high < low  # SVG y grows downwards
    assert svg.find(f"{SVG}line[@class='chart-target']") is not None


def test_bar_chart_skips_missing_values_and_escapes_labels():
    svg = bar_chart([("<b>", 2), ("x", None), ("y", 0)], title="Money & more")
    tree = parse(svg)
    assert len(tree.findall(f"{SVG}rect")) == 2
    assert "&lt;b&gt;" in str(svg) and "Money &amp; more" in str(svg)


def test_a_chart_without_values_says_so_instead_of_drawing_empty_axes():
    for chart in (line_chart, bar_chart):
        for points in ([], [("Q1", None), ("Q2", None)]):
            html = str(chart(points, title="Exports"))
            assert "<svg" not in html
            assert 'class="chart-empty"' in html and 'aria-label="Exports"' in html
            assert "No values to draw yet." in html


def test_every_bar_is_labelled_and_bars_stand_on_zero():
    tree = parse(bar_chart([("AR", 750), ("EC", 800), ("PE", None)], title="t"))
    labels = [t.text for t in tree.findall(f"{SVG}text[@class='chart-tick']")]
    assert {"AR", "EC", "PE"} <= set(labels)
    assert "0" in labels  # the axis starts at zero


def test_a_line_of_amounts_starts_its_axis_at_zero_and_keeps_its_last_label_inside():
    points = [("2024 Q4", 750_000), ("2025 Q1", 800_000), ("2025 Q2", 900_000)]
    zoomed = parse(line_chart(points, title="t", width=480))
    amounts = parse(line_chart(points, title="t", width=480, from_zero=True))

    def ticks(tree):
        return [t.text for t in tree.findall(f"{SVG}text[@class='chart-tick']")]

    assert "750k" in ticks(zoomed) and "0" not in ticks(zoomed)
    assert "0" in ticks(amounts) and "750k" not in ticks(amounts)
    last = amounts.findall(f"{SVG}text[@class='chart-tick']")[-1]
    assert last.text == "2025 Q2" and last.get("text-anchor") == "end"
    assert float(last.get("x")) <= 480


def test_two_line_chart_draws_both_lines_apart_with_a_legend():
    svg = parse(
        two_line_chart(
            ["2024 Q1", "2024 Q2", "2024 Q3"],
            ("Budget disbursed", [Decimal("62.5"), Decimal("62.5"), Decimal("75")]),
            ("Targets <achieved>", [Decimal("0"), None, Decimal("50")]),
            title="S-curve",
            bounds=(0, 100),
        )
    )
    lines = svg.findall(f"{SVG}polyline")
    # the first line runs through three quarters; the second breaks at its gap (one dot each side)
    assert [line.get("class") for line in lines] == ["chart-line"]
    assert len(svg.findall(f"{SVG}circle")) == 3
    assert len(svg.findall(f"{SVG}rect")) == 2  # the second line's dots are squares
    legend = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Budget disbursed" in legend and "Targets <achieved>" in legend  # escaped, not markup
    # fixed bounds: 100 at the top of the axis whatever the values
    assert "100" in legend and "0" in legend


def test_two_line_chart_says_so_when_there_is_nothing_to_draw():
    html = str(two_line_chart(["Q1"], ("a", [None]), ("b", [None]), title="Empty"))
    assert "chart-empty" in html
