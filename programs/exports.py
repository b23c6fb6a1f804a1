"""The portfolio table as a download: the same rows as the page, one program per line.

Per-currency totals are not appended: a spreadsheet user summing a column would count them
twice; they are on the page and at /api/v1/programs/portfolio/.
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from programs.models import Program
from programs.money import as_percent, cents


def portfolio_headers() -> list[str]:
    return [
        _("Country"),
        _("Program"),
        _("Code"),
        _("Funder"),
        _("Executing agency"),
        _("Typology"),
        _("Status"),
        _("Approval date"),
        _("Closing date"),
        _("Currency"),
        _("Total amount"),
        _("Funder amount"),
        _("Disbursed"),
        _("Disbursement rate (%)"),
    ]


def portfolio_lines(programs: Iterable[Program]) -> Iterator[list]:
    """Rows of selectors.portfolio_rows(): amounts stay Decimal, the rate is a percentage."""
    for program in programs:
        yield [
            ", ".join(country.name for country in program.countries.all()),
            program.name,
            program.code,
            program.funder,
            program.executing_agency,
            program.get_typology_display(),
            program.get_status_display(),
            program.approval_date,
            program.closing_date,
            program.currency,
            cents(program.total_amount),
            cents(program.funder_amount),
            cents(program.disbursed),
            as_percent(program.disbursement_rate, places=2),
        ]
