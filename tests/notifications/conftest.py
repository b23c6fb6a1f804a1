import pytest

from monitoring.reports.services import report_record_values, report_transition
from tests.factories import UserFactory
from tests.reports import complete_rows


@pytest.fixture
def people(thai):
    """thai, everyone with an e-mail address, plus people of the cluster outside the scope: the
    other BSO's staff and the other program's officer, and an inactive BSO staff of `inside`."""
    from accounts.models import Role

    thai.users["outside_staff"] = UserFactory(
        username="outside-staff", role=Role.BSO_STAFF, bso=thai.other_bso
    )
    thai.users["outside_officer"] = UserFactory(
        username="outside-officer", role=Role.PROGRAM_OFFICER, programs=[thai.other_program]
    )
    thai.users["gone_staff"] = UserFactory(
        username="gone-staff", role=Role.BSO_STAFF, bso=thai.bso, is_active=False
    )
    for user in thai.users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return thai


@pytest.fixture
def move(people, django_capture_on_commit_callbacks):
    """Fill and move the report (report_transition), then run what its commit queues."""

    def run(action, *, by="bso_staff", comment=""):
        user = people.users[by]
        if action == "submit":
            rows = complete_rows(people.report, keep_entered=True)
            if rows:
                report_record_values(report=people.report, rows=rows, user=user)
        with django_capture_on_commit_callbacks(execute=True):
            people.report = report_transition(
                report=people.report, action=action, user=user, comment=comment
            )
        return people.report

    return run
