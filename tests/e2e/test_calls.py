"""A call for proposals in a real browser, on a phone: anonymous visitors read the published
call; BSO staff apply for a new cluster initiative (refused first, with the eligibility reasons);
once the evaluators have scored, the program officer selects it from the ranking, and the new
cluster is enrolled in the program. No sideways scroll, no security-policy breach, no serious
axe-core violation on the way.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from calls import services
from calls.models import Application, Call
from clusters.models import Cluster
from programs.models import Enrolment
from tests.calls.helpers import build_call, score
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_from_a_published_call_to_an_enrolled_cluster(world, live_server):
    setup = build_call(world)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            visitor = browser.new_page(viewport=PHONE)
            visitor.goto(f"{live_server.url}/calls/")
            visitor.get_by_role("link", name="Cluster initiatives 2026").click()
            expect(visitor.locator("[data-criteria]")).to_contain_text("Quality of the plan")
            violations = serious_violations(visitor)
            visitor.close()

            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "bso", f"/calls/{setup.call.pk}/")
            page.get_by_role("link", name="Apply").click()
            page.get_by_label("Name of the new initiative").fill("Olive oil of San Juan")
            page.get_by_label("Country of the new initiative").select_option(label="Argentina")
            page.get_by_label("Sector of the new initiative").fill("olive oil")
            page.get_by_label("Sector family").select_option(value="natural_resource")
            page.get_by_label("Cluster type").select_option(value="italianate")
            page.get_by_label("Initiative origin").select_option(value="bottom_up_private")
            page.get_by_label("Declared number of firms").fill("4")
            page.get_by_label("Co-financing (%)").fill("30")
            page.get_by_role("button", name="Submit").click()
            expect(page.locator("[data-error-summary]")).to_contain_text("Too few firms")
            expect(page.locator("[data-error-summary]")).to_contain_text("No local institution")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            page.get_by_label("Declared number of firms").fill("25")
            page.get_by_label("Local institutions").fill("Universidad Nacional de San Juan")
            page.get_by_role("button", name="Submit").click()
            expect(page.locator(".messages")).to_contain_text("Your application was submitted")

            application = Application.objects.get()
            services.call_transition(call=setup.call, to=Call.State.CLOSED)
            for evaluator in setup.evaluators:
                score(application, evaluator, setup.criteria, [4, 4, 4])

            page.context.clear_cookies()
            sign_in(page, live_server.url, "officer", f"/calls/{setup.call.pk}/ranking/")
            row = page.locator("[data-ranking] tbody tr", has_text="Olive oil of San Juan")
            expect(row).to_contain_text("80.00")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            row.get_by_role("link", name="Select").click()
            page.get_by_label("Reason of the selection").fill("Ranked first; strong partners.")
            page.get_by_role("button", name="Select").click()
            expect(page.locator(".messages")).to_contain_text("enrolled in the program")
            violations += serious_violations(page)
            assert violations == []
            refused = f"{live_server.url}/calls/{setup.call.pk}/apply/"
            assert [p for p in problems if not (p.startswith(refused) and "400" in p)] == []
        finally:
            browser.close()

    cluster = Cluster.objects.get(name="Olive oil of San Juan")
    assert Enrolment.objects.filter(program=world.program, cluster=cluster).exists()
