from decimal import Decimal
from xml.etree import ElementTree

from core.charts import bar_chart, line_chart

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


def test_empty_chart_is_still_valid_svg():
    assert parse(line_chart([], title="none")).tag == f"{SVG}svg"
