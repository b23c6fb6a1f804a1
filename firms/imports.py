"""Import of firms from a spreadsheet (XLSX or CSV): all rows or none, problems by row.

Layout: the first row names the columns (the keys of COLUMNS, or their labels in English or
the page's language); one firm per row below it; empty rows are skipped. `country` and
`cluster` are codes; `size_class` a code or its label; `women_led` yes/no (sí, true, 1...);
`since` YYYY-MM-DD or DD/MM/YYYY (today when empty). Each firm is checked by the model's
rules (firms.services.firms_create_many) and the cluster must be one the importer may name;
if any row is wrong nothing is saved and every row's problems are listed.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from clusters.models import Cluster, Country
from core.sheets import ImportProblem, SheetRefused, cell_text, sheet_table
from firms.models import Firm, SizeClass
from firms.services import firms_create_many

COLUMNS = (
    ("name", gettext_lazy("Name")),
    ("tax_id", gettext_lazy("Tax id")),
    ("country", gettext_lazy("Country")),
    ("locality", gettext_lazy("Locality")),
    ("sector", gettext_lazy("Sector")),
    ("size_class", gettext_lazy("Size class")),
    ("women_led", gettext_lazy("Women-led")),
    ("founded", gettext_lazy("Founding year")),
    ("contact_name", gettext_lazy("Contact person")),
    ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")),
    ("cluster", gettext_lazy("Cluster")),
    ("since", gettext_lazy("Member since")),
)
KEYS = [key for key, _label in COLUMNS]
REQUIRED = ("name", "country")
MAX_ROWS = 2000
YES = {"yes", "y", "true", "1", "sí", "si", "s", "x"}
NO = {"no", "n", "false", "0", ""}
TEXT_FIELDS = ("name", "tax_id", "locality", "sector", "contact_name", "email", "phone")


@dataclass
class FirmImportResult:
    saved: int = 0
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(values: list) -> dict[int, str]:
    names = {}
    for key, label in COLUMNS:
        names[key] = key
        names[str(label).lower()] = key
        with override("en"):
            names[str(label).lower()] = key
    columns = {}
    for index, value in enumerate(values):
        key = names.get(cell_text(value).lower())
        if key:
            columns[index] = key
    missing = [key for key in REQUIRED if key not in columns.values()]
    if missing:
        raise SheetRefused(
            _("The first row must name the columns; missing: %(keys)s.")
            % {"keys": ", ".join(missing)}
        )
    return columns


def firm_rows(file) -> list[tuple[int, dict]]:
    """(row number, column key -> cell) of every non-empty row below the header."""
    table = sheet_table(
        file, wrong_kind=_("Upload an .xlsx or a .csv file."), max_columns=len(KEYS) + 10
    )
    if not table:
        raise SheetRefused(_("The file has no rows."))
    columns = _header(table[0][1])
    rows = []
    for number, values in table[1:]:
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        rows.append((number, raw))
        if len(rows) > MAX_ROWS:
            raise SheetRefused(_("Import at most %(n)d firms at a time.") % {"n": MAX_ROWS})
    if not rows:
        raise SheetRefused(_("The file has no firms below its first row."))
    return rows


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Write the date as YYYY-MM-DD (or DD/MM/YYYY)."))


def _sizes() -> dict[str, str]:
    names = {}
    for choice in SizeClass:
        with override("en"):
            english = str(choice.label).lower()
        for name in (choice.value, str(choice.label).lower(), english):
            names.setdefault(name, choice.value)
    return names


def _row(number: int, raw: dict, refs: dict, cluster_required: bool):
    data: dict = {key: cell_text(raw.get(key)) for key in TEXT_FIELDS}
    problems: list[ImportProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(ImportProblem(message, number, key))

    code = cell_text(raw.get("country")).upper()
    data["country"] = refs["countries"].get(code)
    if data["country"] is None:
        problem("country", _("No country with the code “%(code)s”.") % {"code": code})
    size = cell_text(raw.get("size_class")).lower()
    data["size_class"] = refs["sizes"].get(size, "") if size else ""
    if size and not data["size_class"]:
        problem("size_class", _("Unknown size class; use micro, small, medium or large."))
    women = cell_text(raw.get("women_led")).lower()
    data["women_led"] = women in YES
    if women not in YES | NO:
        problem("women_led", _("Write yes or no."))
    founded = cell_text(raw.get("founded"))
    data["founded"] = None
    if founded:
        if founded.isascii() and founded.isdigit() and len(founded) <= 4:
            data["founded"] = int(founded)
        else:
            problem("founded", _("A year, e.g. 1998."))
    cluster_code = cell_text(raw.get("cluster"))
    data["cluster"] = refs["clusters"].get(cluster_code) if cluster_code else None
    if cluster_code and data["cluster"] is None:
        message = _("No cluster with the code “%(code)s” in your scope.") % {"code": cluster_code}
        problem("cluster", message)
    elif not cluster_code and cluster_required:
        problem("cluster", _("Name the cluster the firm is a member of."))
    try:
        data["since"] = _date(raw.get("since"))
    except ValueError as error:
        problem("since", str(error))
    data["_row"] = number
    return data, problems


def firms_import(*, file, clusters: QuerySet[Cluster], cluster_required: bool) -> FirmImportResult:
    """Register every firm of the spreadsheet, each a member of its cluster (one of `clusters`:
    those the importer may name), or none; say what is wrong in which row."""
    try:
        rows = firm_rows(file)
    except SheetRefused as refusal:
        return FirmImportResult(errors=[ImportProblem(str(refusal))])
    codes = {cell_text(raw.get("cluster")) for _n, raw in rows}
    refs = {
        "countries": {c.code.upper(): c for c in Country.objects.all()},
        "clusters": {c.code: c for c in clusters.filter(code__in=codes)},
        "sizes": _sizes(),
    }
    problems: dict[int, list[ImportProblem]] = {}
    ready: list[tuple[int, dict]] = []
    for number, raw in rows:
        data, row_problems = _row(number, raw, refs, cluster_required)
        if row_problems:
            problems[number] = row_problems
        ready.append((number, data))
    # The model's checks run on every row, also those with an unreadable cell, so that one
    # upload lists all that is wrong; a cell already refused is not checked again.
    saved, refusals = [], {}
    if problems:
        for index, (number, data) in enumerate(ready):
            refused = {p.field for p in problems.get(number, [])}
            try:
                _check(data, refused)
            except ValidationError as error:
                refusals[index] = error
    else:
        saved, refusals = firms_create_many(rows=[data for _n, data in ready])
    for index, error in refusals.items():
        number = ready[index][0]
        known = {p.field for p in problems.get(number, [])}
        for key, messages in error.message_dict.items():
            if key in known:
                continue
            for message in messages:
                column = None if key == "__all__" else key
                problems.setdefault(number, []).append(ImportProblem(message, number, column))
    if problems:
        return FirmImportResult(errors=[p for n, _raw in rows for p in problems.get(n, [])])
    return FirmImportResult(saved=len(saved))


def _check(data: dict, refused: set) -> None:
    fields = {
        k: v
        for k, v in data.items()
        if k in {f.name for f in Firm._meta.concrete_fields} and k not in refused and v is not None
    }
    Firm(**fields).full_clean(exclude=list(refused))
