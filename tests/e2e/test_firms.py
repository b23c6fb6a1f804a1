"""The firm registry in a real browser, on a phone: BSO staff register a firm of their cluster
(a refused form first), then find it proposed as a likely duplicate of one registered before and
merge the two; nothing on the way needs a sideways scroll, breaks the security policy or shows
axe-core a serious or critical violation.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from firms.models import Firm
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems
from tests.factories import MembershipFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_bso_staff_register_a_firm_and_merge_it_with_its_duplicate(world, live_server):
    older = MembershipFactory(
        cluster=world.inside, firm__name="Bodega Los Andes", firm__locality="Maipú"
    ).firm

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "bso", "/firms/")
            expect(page.get_by_role("heading", level=1)).to_contain_text("Firm registry")
            violations = serious_violations(page)

            page.get_by_role("link", name="Register a firm").click()
            page.get_by_role("button", name="Save").click()  # nothing typed: refused, said why
            expect(page.locator("[data-error-summary]")).to_be_visible()
            violations += serious_violations(page)
            page.get_by_label("Name").fill("BODEGA LOS ANDES S.A.")
            page.get_by_label("Tax id").fill("30-71234567-8")
            page.get_by_label("Country").select_option(label="Argentina")
            page.get_by_label("Locality").fill("Maipu")
            page.get_by_label("Women-led").check()
            page.get_by_label("Member of the cluster").select_option(label=world.inside.name)
            assert _sideways_overflow(page) <= 0
            page.get_by_role("button", name="Save").click()

            expect(page.get_by_role("heading", level=1)).to_have_text("BODEGA LOS ANDES S.A.")
            expect(page.locator("[data-memberships]")).to_contain_text(world.inside.name)
            violations += serious_violations(page)

            page.goto(f"{live_server.url}/firms/duplicates/")
            row = page.locator("[data-duplicates] tbody tr", has_text="BODEGA LOS ANDES S.A.")
            expect(row).to_contain_text("Same name and locality")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            row.get_by_role("link", name="Review and merge").click()
            page.get_by_label(f"Bodega Los Andes (#{older.pk})").check()
            violations += serious_violations(page)
            page.locator("[data-merge]").click()

            expect(page.get_by_role("heading", level=1)).to_have_text("Bodega Los Andes")
            expect(page.locator(".messages")).to_contain_text("was merged into this firm")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            assert violations == []
            refused = f"{live_server.url}/firms/new/"
            assert [p for p in problems if not (p.startswith(refused) and "400" in p)] == []
        finally:
            browser.close()

    kept = Firm.objects.get()
    assert (kept.pk, kept.tax_id, kept.women_led) == (older.pk, "30712345678", True)
