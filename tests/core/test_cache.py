"""The data version moves with every committed write, whatever wrote it, and cached results
are computed again after it moves (core.cache)."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction

from clusters.models import Country
from core.cache import (
    _version_key,
    cached,
    data_version,
    is_write,
    reach,
    settled_reads,
    tables_named,
    unsettled_writes,
)
from programs.models import Program

# The version moves on commit: these tests commit for real.
committing = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "clusters_country"."id" FROM "clusters_country"',
        "  select 1",
        'SELECT "monitoring_rollup"."id" FROM "monitoring_rollup" FOR UPDATE SKIP LOCKED',
        "WITH x AS (SELECT 1) SELECT * FROM x",
        'SAVEPOINT "s1"',
        'RELEASE SAVEPOINT "s1"',
        'UPDATE "django_session" SET "session_data" = %s',
        'INSERT INTO "django_session" ("session_key") VALUES (%s)',
        'DELETE FROM "django_session" WHERE "session_key" = %s',
        'UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s',
    ],
)
def test_reads_and_session_writes_do_not_count_as_writes(sql):
    assert not is_write(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "clusters_country" ("code") VALUES (%s)',
        'UPDATE "monitoring_report" SET "state" = %s',
        'DELETE FROM "core_rollupstale" WHERE "id" IN (1)',
        "INSERT INTO monitoring_rollup (kpi_id) WITH per AS (SELECT 1) SELECT 1 FROM per",
        "WITH taken AS (DELETE FROM core_rollupstale RETURNING kpi_id) SELECT * FROM taken",
        'TRUNCATE "monitoring_rollup"',
        "\n  update monitoring_rollup set value = 1",
        'UPDATE "accounts_user" SET "role" = %s WHERE "accounts_user"."id" = %s',
    ],
)
def test_inserts_updates_deletes_count_as_writes(sql):
    assert is_write(sql)


@committing
def test_a_committed_write_moves_the_data_version():
    before = data_version()

    Country.objects.create(code="UY", name="Uruguay")

    assert data_version() != before


@committing
def test_a_read_does_not_move_the_data_version():
    before = data_version()

    list(Country.objects.all())

    assert data_version() == before


@committing
def test_raw_sql_moves_the_data_version_too():
    Country.objects.create(code="UY", name="Uruguay")
    before = data_version()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE clusters_country SET name = 'Uruguay (ROU)' WHERE code = 'UY'")

    assert data_version() != before


@committing
def test_a_transaction_moves_the_version_when_it_commits_and_reads_around_the_cache_before():
    from django.core.cache import cache

    before = data_version()
    with transaction.atomic():
        Country.objects.create(code="UY", name="Uruguay")
        # other connections cannot see the row yet: for them nothing changed
        assert cache.get(_version_key()) == before
        # this one can: it reads the database, not the cache
        assert data_version() is None

    assert data_version() not in (None, before)


@committing
def test_a_rolled_back_transaction_leaves_the_version_and_the_cache_usable():
    before = data_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        Country.objects.create(code="UY", name="Uruguay")
        raise RuntimeError

    assert data_version() == before


@committing
def test_a_cached_result_is_computed_again_after_a_write():
    calls = []

    def compute():
        calls.append(1)
        return Country.objects.count()

    assert cached(["countries"], compute) == 0
    assert cached(["countries"], compute) == 0
    assert len(calls) == 1  # the second one came from the cache

    Country.objects.create(code="UY", name="Uruguay")

    assert cached(["countries"], compute) == 1
    assert len(calls) == 2


@committing
def test_with_the_result_cache_off_every_call_computes(settings):
    """RESULT_CACHE=false (bench/load.py's cache-off figures): nothing is kept or served."""
    settings.RESULT_CACHE = False
    calls = []

    def compute():
        calls.append(1)
        return Country.objects.count()

    assert cached(["countries-off"], compute) == 0
    assert cached(["countries-off"], compute) == 0
    assert len(calls) == 2


@committing
def test_results_with_other_parts_are_cached_apart():
    assert cached(["a"], lambda: "a") == "a"
    assert cached(["b"], lambda: "b") == "b"


@committing
def test_a_connection_with_uncommitted_writes_neither_reads_nor_fills_the_cache():
    calls = []

    def compute():
        calls.append(1)
        return Country.objects.count()

    cached(["countries"], compute)
    with transaction.atomic():
        Country.objects.create(code="UY", name="Uruguay")

        assert cached(["countries"], compute) == 1  # its own row, not the cached 0
        assert cached(["countries"], compute) == 1
        assert len(calls) == 3  # each computed


@committing
def test_the_rollup_engines_raw_delete_and_insert_move_the_data_version():
    """The engine deletes with QuerySet._raw_delete (no signals) and inserts with raw
    INSERT ... WITH statements through a cursor: both pass through the connection's wrapper."""
    Country.objects.create(code="UY", name="Uruguay")
    before = data_version()

    doomed = Country.objects.filter(code="UY")
    doomed._raw_delete(doomed.db)

    after_delete = data_version()
    assert after_delete != before

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clusters_country (code, name) "
            "WITH src AS (SELECT 'PY' AS code) SELECT code, 'Paraguay' FROM src"
        )

    assert data_version() not in (None, after_delete)


class FlakyCache(LocMemCache):
    """A local-memory cache that can be made to fail every call (as a Redis that is down or
    hung past its timeout does), and counts the calls that reached it."""

    down = False
    calls = 0

    def _reach(self):
        FlakyCache.calls += 1
        if FlakyCache.down:
            raise ConnectionError("cache down")

    def get(self, *args, **kwargs):
        self._reach()
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        self._reach()
        return super().set(*args, **kwargs)

    def add(self, *args, **kwargs):
        self._reach()
        return super().add(*args, **kwargs)

    def incr(self, *args, **kwargs):
        self._reach()
        return super().incr(*args, **kwargs)


@pytest.fixture
def flaky_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "tests.core.test_cache.FlakyCache", "LOCATION": "flaky"}
    }
    FlakyCache.down, FlakyCache.calls = False, 0
    reach.reset()
    yield FlakyCache
    FlakyCache.down = False
    reach.reset()


@committing
def test_an_unreachable_cache_costs_one_call_then_is_left_alone_for_a_while(flaky_cache):
    Country.objects.create(code="UY", name="Uruguay")
    flaky_cache.down, flaky_cache.calls = True, 0

    answers = [cached(["countries"], Country.objects.count) for _ in range(5)]
    Country.objects.create(code="PY", name="Paraguay")  # a write commits as usual

    assert answers == [1] * 5  # from the database
    assert Country.objects.count() == 2
    assert flaky_cache.calls == 1  # the first call failed; the others did not wait on it


@committing
def test_a_write_the_cache_missed_is_not_hidden_when_the_cache_is_back(flaky_cache, monkeypatch):
    assert cached(["countries"], Country.objects.count) == 0  # kept in the cache
    monkeypatch.setattr("core.cache.UNREACHABLE_SECONDS", 0.0)  # try again at once
    flaky_cache.down = True
    Country.objects.create(code="UY", name="Uruguay")  # its version bump is lost

    flaky_cache.down = False

    assert cached(["countries"], Country.objects.count) == 1  # not the 0 kept before


# --- What a write retires: the results that read its tables, no others ------------------------


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('SELECT "clusters_country"."id" FROM "clusters_country"', {"clusters_country"}),
        (
            'UPDATE "monitoring_report" SET "state" = %s WHERE "id" IN '
            '(SELECT "report_id" FROM "monitoring_measurement")',
            {"monitoring_report", "monitoring_measurement"},
        ),
        ("insert into no_such_table (clusters) values (1)", set()),  # no table of ours
        ("SELECT 1", set()),
        ('DELETE FROM "django_session"', set()),  # changes no result
        (b"SELECT 1", {"*"}),  # not text: could be anything
    ],
)
def test_a_statement_names_the_projects_tables_among_its_words(sql, tables):
    assert tables_named(sql) == tables


def counted(calls: list, name: str, compute):
    def run():
        calls.append(name)
        return compute()

    return run


@committing
def test_a_write_retires_the_results_that_read_its_table_and_no_others():
    calls = []
    countries = counted(calls, "countries", Country.objects.count)
    programs = counted(calls, "programs", Program.objects.count)
    cached(["countries"], countries), cached(["programs"], programs)

    Country.objects.create(code="UY", name="Uruguay")

    assert cached(["countries"], countries) == 1
    assert cached(["programs"], programs) == 0
    assert calls == ["countries", "programs", "countries"]  # programs came from the cache


@committing
def test_a_result_built_on_a_cached_one_depends_on_the_tables_that_one_read():
    calls = []
    inner = counted(calls, "inner", Country.objects.count)
    cached(["inner"], inner)  # kept first: the outer result reads no table itself
    outer = counted(calls, "outer", lambda: cached(["inner"], inner) + 100)
    assert cached(["outer"], outer) == 100

    Country.objects.create(code="UY", name="Uruguay")

    assert cached(["outer"], outer) == 101
    assert calls == ["inner", "outer", "outer", "inner"]


@committing
def test_a_write_that_names_no_known_table_retires_every_result():
    calls = []
    programs = counted(calls, "programs", Program.objects.count)
    cached(["programs"], programs)

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE scratch (x integer)")

    cached(["programs"], programs)
    assert calls == ["programs", "programs"]


@committing
def test_unsettled_writes_retire_every_reader_but_the_settled_ones():
    calls = []
    settled = counted(calls, "settled", lambda: _settled(Country.objects.count))
    plain = counted(calls, "plain", Country.objects.count)
    cached(["settled"], settled), cached(["plain"], plain)

    with unsettled_writes():
        Country.objects.create(code="UY", name="Uruguay")

    assert cached(["settled"], settled) == 0  # kept: by contract it cannot see that row
    assert cached(["plain"], plain) == 1
    Country.objects.create(code="PY", name="Paraguay")  # an ordinary write retires both
    assert cached(["settled"], settled) == 2
    assert calls == ["settled", "plain", "plain", "settled"]


def _settled(compute):
    with settled_reads():
        return compute()
