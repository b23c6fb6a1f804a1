"""A slow or hung dependency costs a request a bounded time, never a wrong answer.

Through gunicorn (one sync worker, its 30 s timeout), on the test database:
- a hung Redis (a private redis-server frozen with SIGSTOP: the kernel still accepts
  connections, nothing answers, the worst case for a client) under both the cache and the
  broker: an approval commits and answers well under the timeout, its stale marker waits for
  the beat sweep, and the lists read then, and after Redis wakes up, show the approval;
- database connections dropped under a web process with persistent connections: the next
  request is served, not a 500;
- the health endpoint with the database down: 503, quickly.
"""

import json
import time

import pytest

from core.cache import UNREACHABLE_SECONDS
from core.models import RollupStale
from monitoring.models import Report
from tests.integration.conftest import WEB_DB_APPLICATION, end_sessions_of, free_port

pytestmark = pytest.mark.integration

# Well under gunicorn's 30 s timeout (before Redis calls had timeouts, the approval below
# hung until gunicorn killed its worker).
BOUND_SECONDS = 3.0


def timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def states(answer) -> dict[int, str]:
    status, _headers, body = answer
    assert status == 200, body[:500]
    return {r["id"]: r["state"] for r in json.loads(body)["results"]}


def test_an_approval_answers_in_bounded_time_while_redis_is_frozen(submitted, private_redis, web):
    server = web(redis_url=private_redis.url)  # cache and broker on the private Redis
    token, report_id = submitted.token, submitted.report.pk
    # Given the officer's list read once (token and list cached in Redis, connections open),
    assert states(server.request("GET", "/api/v1/reports/", token=token)) == {
        report_id: "submitted"
    }
    markers_before = RollupStale.objects.count()

    # when Redis stops answering and the officer approves the report through the API,
    private_redis.freeze()
    (status, _headers, body), seconds = timed(
        lambda: server.request("POST", f"/api/v1/reports/{report_id}/approve/", token=token)
    )

    # then the approval commits and answers success in bounded time,
    assert status == 200, f"{body[:500]}\n{server.tail()}"
    assert seconds < BOUND_SECONDS, f"the approval took {seconds:.2f} s with Redis frozen"
    assert json.loads(body)["state"] == "approved"
    assert Report.objects.get(pk=report_id).state == Report.State.APPROVED
    # its stale marker waits in the database for the sweep (the broker took no message),
    assert RollupStale.objects.count() > markers_before
    # the list, read without the cache, says approved, in bounded time too,
    listed, seconds = timed(lambda: server.request("GET", "/api/v1/reports/", token=token))
    assert seconds < BOUND_SECONDS, f"the list took {seconds:.2f} s with Redis frozen"
    assert states(listed) == {report_id: "approved"}
    # and the health endpoint says what is wrong, quickly, still 200 (the site works).
    (status, _headers, body), seconds = timed(lambda: server.request("GET", "/health/"))
    assert seconds < BOUND_SECONDS, f"the health check took {seconds:.2f} s with Redis frozen"
    health = json.loads(body)
    assert (status, health["database"], health["cache"], health["broker"]) == (
        200,
        "ok",
        "unavailable",
        "unavailable",
    )

    # When Redis answers again and the web process tries the cache again, what was cached
    # before the approval is not served.
    private_redis.thaw()
    time.sleep(UNREACHABLE_SECONDS + 0.5)
    assert states(server.request("GET", "/api/v1/reports/", token=token)) == {report_id: "approved"}


def test_dropped_database_connections_cost_no_error(integration_env, web, transactional_db):
    server = web()
    assert server.request("GET", "/directory/")[0] == 200
    # The database ends every session of the web process (a restart, a failover, an idle
    # timeout), while the process keeps its persistent connection:
    end_sessions_of(WEB_DB_APPLICATION)

    status, _headers, body = server.request("GET", "/directory/")

    assert status == 200, f"{body[:300]}\n{server.tail()}"


def test_the_health_endpoint_answers_503_quickly_when_the_database_is_down(
    integration_env, web, transactional_db
):
    # A database URL on a port nothing listens on: connections are refused.
    server = web(database_url=f"postgres://postgres@127.0.0.1:{free_port()}/clusterboard")

    (status, headers, body), seconds = timed(lambda: server.request("GET", "/health/"))

    assert status == 503
    assert seconds < BOUND_SECONDS
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["database"] == "unavailable"
