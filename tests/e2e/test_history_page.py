"""An object's history page in a real browser at a phone's width: reached from the program's
page, it lists the change with who and what, nothing runs off the screen, and the page keeps
its Content-Security-Policy (no inline style or script)."""

import pytest
from playwright.sync_api import expect, sync_playwright

from programs.models import Program
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_programs_history_reads_on_a_phone(world, live_server):
    program = Program.objects.get(pk=world.program.pk)
    for name in ("Argentina clusters", "Clusters of Argentina, a rather long program name"):
        program.name, program._history_user = name, world.users["program_officer"]
        program.save()

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            page.set_default_timeout(15_000)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "officer", f"/programs/{program.pk}/")
            page.get_by_role("link", name=f"History of {program.name}").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("History of")
            first = page.locator(".history-entry").first
            expect(first).to_contain_text("officer")
            expect(first.get_by_role("row", name="Name")).to_contain_text("Argentina clusters")
            scroll = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert scroll == 0
            assert problems == []
        finally:
            browser.close()
