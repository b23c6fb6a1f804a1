"""Dates read the same way on every page, in every language: day, month name and year, and
times to the minute (config/formats), never a bare 10/30 that reads as 30/10 elsewhere."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

MOMENT = timezone.make_aware(datetime.datetime(2026, 10, 30, 15, 44, 59, 123456))


def rendered(source: str, language: str) -> str:
    with translation.override(language):
        return Template(source).render(Context({"day": MOMENT.date(), "moment": MOMENT}))


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "30 Oct 2026", "30 Oct 2026 15:44"),
        ("es", "30 oct 2026", "30 oct 2026 15:44"),
        ("pt", "30 out 2026", "30 out 2026 15:44"),
    ],
)
def test_dates_name_the_month_and_times_stop_at_the_minute(language, day, moment):
    assert rendered("{{ day }}|{{ day|date }}|{{ day|date:'SHORT_DATE_FORMAT' }}", language) == (
        f"{day}|{day}|{day}"
    )
    source = (
        "{{ moment }}|{{ moment|date:'DATETIME_FORMAT' }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}"
    )
    assert rendered(source, language) == f"{moment}|{moment}|{moment}"


def test_forms_still_read_dates_as_typed_in_each_language():
    from django import forms

    class Form(forms.Form):
        day = forms.DateField()

    with translation.override("en"):
        assert Form({"day": "2026-10-30"}).is_valid()
    for language in ("es", "pt"):
        with translation.override(language):
            form = Form({"day": "30/10/2026"})
            assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 10, 30)
