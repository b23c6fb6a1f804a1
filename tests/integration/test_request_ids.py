"""A task queued by a request logs, on the worker, with the request's id: the id a user's
answer carried (X-Request-ID) finds the worker's lines too."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_the_rollup_task_an_approval_queued_logs_with_the_approvals_request_id(
    submitted, workers, broker
):
    worker = workers()
    client = APIClient(HTTP_AUTHORIZATION=f"Token {submitted.token}")

    response = client.post(
        reverse("api:report-approve", args=[submitted.report.pk]),
        HTTP_X_REQUEST_ID="trace-approve-7f3a",
    )

    assert response.status_code == 200
    assert response["X-Request-ID"] == "trace-approve-7f3a"

    def done() -> list[str]:
        return [
            line
            for line in worker.text().splitlines()
            if "monitoring.tasks.process_stale_rollups" in line and " succeeded " in line
        ]

    lines = wait_for(done, timeout=60, what="the rollup task to succeed", workers=workers)
    assert "[trace-approve-7f3a]" in lines[0], lines
