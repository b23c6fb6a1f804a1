"""bench/load.py's writer: reports reopened, saved, submitted and approved, and activities
logged, through the real API at a set rate."""

import random
import time

from bench.serving import Client


class Writer:
    """Reopen, save a value, submit, approve, in turn over the bench BSO's clusters; an activity
    every fourth write. Each step is one request of the real API."""

    def __init__(self, port: int, writers: dict):
        self.client = Client(port)
        self.admin = {"Authorization": f"Token {writers['admin_token']}"}
        self.staff = {"Authorization": f"Token {writers['staff_token']}"}
        self.reports = writers["reports"]  # [(report id, kpi id)] approved, of the BSO's clusters
        self.cluster_of = writers["cluster_of"]
        self.steps = self._steps()

    def _steps(self):
        count = 0
        while True:
            for report, kpi in self.reports:
                for step in (self.reopen, self.save, self.submit, self.approve):
                    count += 1
                    if count % 4 == 0:
                        yield "write_activity", lambda r=report: self.activity(r)
                    yield f"write_{step.__name__}", lambda s=step, r=report, k=kpi: s(r, k)

    def reopen(self, report, _kpi):
        body = {"comment": "bench: a correction"}
        return self.client.send("POST", f"/api/v1/reports/{report}/reopen/", self.admin, body)

    def save(self, report, kpi):
        status, ms, data = self.client.send("GET", f"/api/v1/reports/{report}/", self.staff)
        if status != 200:
            return status, ms, data
        values = {str(kpi): {"value": str(random.randint(1, 500))}}
        put = self.client.send(
            "PUT", f"/api/v1/reports/{report}/values/", self.staff, {"values": values}
        )
        return put[0], ms + put[1], put[2]

    def submit(self, report, _kpi):
        return self.client.send("POST", f"/api/v1/reports/{report}/submit/", self.staff, {})

    def approve(self, report, _kpi):
        return self.client.send("POST", f"/api/v1/reports/{report}/approve/", self.admin, {})

    def activity(self, report):
        body = {
            "cluster": self.cluster_of[report],
            "date": "2016-03-01",
            "type": "workshop",
            "title": "bench workshop",
            "currency": "USD",
        }
        return self.client.send("POST", "/api/v1/activities/", self.staff, body)


def write_load(port, writers, *, rate, results, errors, lock, stop, started):
    writer = Writer(port, writers)
    interval = 1 / rate
    started.wait()
    next_at = time.monotonic()
    while not stop.is_set():
        kind, step = next(writer.steps)
        status, ms, data = step()
        with lock:
            results[kind].append(ms)
            if status not in (200, 201):
                errors[kind].append(f"{status} {str(data)[:120]}")
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))


def writers_setup(c: dict) -> dict:
    """API tokens of an administrator and of the bench BSO's staff, and the approved reports of
    the BSO's clusters with a KPI each (the writers' round)."""
    from accounts.models import Role, User
    from accounts.tokens.services import token_issue
    from bsos.models import BSO
    from monitoring.models import Measurement

    bso = BSO.objects.get(code="bench-bso")
    staff, _ = User.objects.get_or_create(
        username="bench-bso-writer", defaults={"role": Role.BSO_STAFF, "bso": bso}
    )
    admin = User.objects.get(username="bench-admin")
    rows = (
        Measurement.objects.filter(
            report__cluster__supports__bso=bso, report__state="approved", kpi__by_sex=False
        )
        .exclude(kpi__aggregation="ratio")
        .order_by("report_id", "kpi_id")
        .distinct("report_id")
        .values_list("report_id", "kpi_id", "report__cluster_id")[:200]
    )
    rows = list(rows)
    return {
        "admin_token": token_issue(user=admin)[1],
        "staff_token": token_issue(user=staff)[1],
        "reports": [(r, k) for r, k, _c in rows],
        "cluster_of": {r: c for r, _k, c in rows},
    }
