"""An axe-core check of the page a browser test is on: the vendored axe (tests/e2e/vendor/,
from npm) is evaluated in the page through the browser's protocol (so the page's
Content-Security-Policy, which allows no inline script, stays as it is), and its serious and
critical violations are returned for the test to assert empty."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """Each serious or critical violation on the page, as "<rule>: <help> (<targets>)"."""
    page.evaluate(AXE.read_text() + "\n;true")
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(v['targets'][:5])})"
        for v in result
        if v["impact"] in BLOCKING
    ]
