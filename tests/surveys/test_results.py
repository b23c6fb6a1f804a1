"""Results of a round worked by hand: shares of those who answered (blanks out of the
denominator), ratings' mean and distribution, and the small-group rule (under 3 answering: no
figure) in the total, in every breakdown and in the download."""

import csv
import io

import pytest
from django.urls import reverse

from surveys.selectors import cooperation_ties, responses_in_scope, round_results
from tests.surveys.helpers import answer, firms_of, make_round, make_survey

pytestmark = pytest.mark.django_db


def _result(round_, user, name):
    results = round_results(round_, responses_in_scope(user))
    return next(r for r in results if r.question.name == name)


def test_a_question_answered_yes_by_17_of_23_gives_73_9_percent_blanks_left_out(world):
    # 27 firms respond: 17 say yes, 6 say no, 4 leave it blank -> 17 / 23 = 0.7391... = 73.9 %
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 27)
    rows = [(f, {"exports": "yes"}) for f in firms[:17]]
    rows += [(f, {"exports": "no"}) for f in firms[17:23]]
    rows += [(f, {"comment": "no time"}) for f in firms[23:]]
    answer(round_, rows)

    result = _result(round_, world.users["admin"], "exports")

    assert result.respondents == 27
    assert (result.total.yes, result.total.answered) == (17, 23)
    assert str(result.total.yes_percent) == "73.9"
    assert result.blank == 4
    assert [(c.name, c.count, str(c.percent)) for c in result.total.counts] == [
        ("yes", 17, "73.9"),
        ("no", 6, "26.1"),  # 6 / 23 = 0.2608... -> 26.1
    ]


def test_the_results_page_and_api_say_17_of_23(client, api_client, world):
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 25)
    rows = [(f, {"exports": "yes"}) for f in firms[:17]] + [
        (f, {"exports": "no"}) for f in firms[17:23]
    ]
    rows += [(f, {}) for f in firms[23:]]
    answer(round_, rows)
    client.force_login(world.users["bso_staff"])

    page = client.get(reverse("round-results", args=[round_.pk])).content.decode()
    api_client.force_authenticate(world.users["bso_staff"])
    data = api_client.get(reverse("api:surveyresult-detail", args=[round_.pk])).json()

    assert "17 of 23, 73.9%" in page
    exports = next(q for q in data["questions"] if q["name"] == "exports")
    assert exports["respondents"] == 25
    assert exports["total"]["answered"] == 23
    assert exports["total"]["yes_percent"] == "73.91"  # the API's percent: 2 places


def test_a_ratings_mean_and_distribution(world):
    # ratings 5, 4, 4, 3, 1: mean 17 / 5 = 3.40; 4 chosen by 2 of 5 = 40.0 %
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 6)
    ratings = [5, 4, 4, 3, 1]
    answer(
        round_,
        [(f, {"satisfaction": r}) for f, r in zip(firms, ratings, strict=False)] + [(firms[5], {})],
    )

    total = _result(round_, world.users["admin"], "satisfaction").total

    assert str(total.mean) == "3.40"
    assert [(c.name, c.count) for c in total.counts] == [
        ("1", 1),
        ("2", 0),
        ("3", 1),
        ("4", 2),
        ("5", 1),
    ]
    assert str(total.counts[3].percent) == "40.0"


def test_several_of_counts_each_choice_among_those_who_answered(world):
    # 4 answer: training by 3 (75.0 %), fairs by 2 (50.0 %), credit by none
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 4)
    choices = ["training fairs", "training", "training fairs", "fairs"]
    answer(round_, [(f, {"services": c}) for f, c in zip(firms, choices, strict=True)])

    total = _result(round_, world.users["admin"], "services").total

    assert [(c.name, c.count, str(c.percent)) for c in total.counts] == [
        ("training", 3, "75.0"),
        ("fairs", 3, "75.0"),
        ("credit", 0, "0.0"),
    ]


def test_groups_under_three_respondents_show_no_figure(world):
    # 2 women and 3 men answer: the women's group is hidden, the men's shows 2 of 3 yes
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 5)
    answer(
        round_,
        [
            (firms[0], {"exports": "yes"}, "female"),
            (firms[1], {"exports": "yes"}, "female"),
            (firms[2], {"exports": "yes"}, "male"),
            (firms[3], {"exports": "yes"}, "male"),
            (firms[4], {"exports": "no"}, "male"),
        ],
    )

    result = _result(round_, world.users["admin"], "exports")
    by_sex = {s.label: s for key, _h, groups in result.breakdowns if key == "sex" for s in groups}

    assert by_sex["Woman"].hidden and by_sex["Woman"].yes is None and by_sex["Woman"].counts == []
    assert not by_sex["Man"].hidden and (by_sex["Man"].yes, by_sex["Man"].answered) == (2, 3)
    assert str(by_sex["Man"].yes_percent) == "66.7"


def test_a_round_with_two_answers_shows_no_total(world):
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 2)
    answer(round_, [(f, {"exports": "yes"}) for f in firms])

    total = _result(round_, world.users["admin"], "exports").total

    assert total.hidden and total.yes is None and total.yes_percent is None


def test_the_download_hides_small_groups_too(client, world):
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 5)
    sexes = ["female", "female", "male", "male", "male"]
    answer(round_, [(f, {"exports": "yes"}, s) for f, s in zip(firms, sexes, strict=True)])
    client.force_login(world.users["admin"])

    body = client.get(reverse("round-results", args=[round_.pk]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))

    women = [r for r in rows if r[0] == "exports" and r[3] == "Woman"]
    men = [r for r in rows if r[0] == "exports" and r[3] == "Man"]
    assert women == [
        ["exports", "Do you export?", "Sex of respondent", "Woman", "< 3", "", "", "", ""]
    ]
    assert men[0][4:8] == ["3", "Yes", "3", "100.0"]


def test_breakdowns_by_cluster_country_and_firm_size(world):
    round_ = make_round(make_survey(), None)
    small = firms_of(world.inside, 3, size_class="small")
    micro = firms_of(world.outside, 3, size_class="micro")
    answer(round_, [(f, {"employees": 20}) for f in small], cluster=world.inside)
    answer(round_, [(f, {"employees": 4}) for f in micro], cluster=world.outside)

    result = _result(round_, world.users["admin"], "employees")
    groups = {key: {s.label: s.mean for s in g} for key, _h, g in result.breakdowns}

    assert str(result.total.mean) == "12.00"  # (3 x 20 + 3 x 4) / 6
    assert {k: str(v) for k, v in groups["country"].items()} == {
        "Argentina": "20.00",
        "Ecuador": "4.00",
    }
    assert {str(k) for k in groups["size"]} == {"Small (11-50 employees)", "Micro (1-10 employees)"}


def test_results_read_only_the_responses_in_the_readers_scope(world):
    round_ = make_round(make_survey(), None)
    answer(
        round_, [(f, {"exports": "yes"}) for f in firms_of(world.inside, 3)], cluster=world.inside
    )
    answer(
        round_, [(f, {"exports": "no"}) for f in firms_of(world.outside, 3)], cluster=world.outside
    )

    assert _result(round_, world.users["bso_staff"], "exports").total.yes == 3
    assert _result(round_, world.users["admin"], "exports").total.answered == 6


def test_cooperation_ties_are_the_firms_and_organisations_named(world):
    round_ = make_round(make_survey(), world.inside)
    a, b, c = firms_of(world.inside, 3)
    answer(
        round_,
        [
            (a, {"partners": f"firm_{b.pk} firm_{c.pk} bso_{world.bso.pk}"}),
            (b, {"partners": [f"firm_{a.pk}", f"firm_{b.pk}"]}),  # naming itself: left out
            (c, {"partners": "none"}),
        ],
    )

    assert cooperation_ties(round_) == sorted(
        [
            (a.pk, "bso", world.bso.pk),
            (a.pk, "firm", b.pk),
            (a.pk, "firm", c.pk),
            (b.pk, "firm", a.pk),
        ]
    )
    assert round_.cluster == world.inside and round_.starts_on < round_.ends_on
