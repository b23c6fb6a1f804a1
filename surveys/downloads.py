"""Downloads of surveys, shared by the pages and the API: a version as an XLSForm (with the
choices a user's scope offers) and a round's results as CSV or XLSX rows."""

from django.http import Http404

from surveys import selectors
from surveys.models import Survey
from surveys.xlsform import xlsform_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def xlsform_download(*, user, survey: Survey, version=None, round_id=None) -> tuple[bytes, str]:
    """The XLSForm of a survey's version (`version`: its number, the latest by default) and its
    file name. With a round (in the user's scope, of this survey), the respondent question
    offers the round's firms or organisations and the cooperation questions the firms and
    organisations of its cluster; without one, a respondent is named in words and cooperation
    offers the user's scope. Http404 for a version or round that is not there."""
    versions = survey.versions.order_by("-number")
    if version is not None:
        versions = versions.filter(number=_number(version) or 0)
    chosen = versions.first()
    if chosen is None:
        raise Http404
    round_ = None
    if round_id is not None:
        round_ = (
            selectors.rounds_in_scope(user)
            .filter(pk=_number(round_id) or 0, version__survey=survey)
            .first()
        )
        if round_ is None:
            raise Http404
        chosen = round_.version
    partners, respondents = [], []
    if round_ is not None:
        firms, bsos = selectors.cooperation_partners(round_, user)
        partners = [("firm", f.pk, f.name) for f in firms] + [("bso", b.pk, b.name) for b in bsos]
        firms, bsos = selectors.respondent_candidates(round_, user)
        if round_.audience == round_.Audience.ORGANISATIONS:
            respondents = [("bso", b.pk, b.name) for b in bsos]
        elif round_.audience == round_.Audience.CLUSTER_FIRMS:
            respondents = [("firm", f.pk, f.name) for f in firms]
    content = xlsform_workbook(chosen, partners=partners, respondents=respondents)
    return content, f"{survey.code}-v{chosen.number}.xlsx"
