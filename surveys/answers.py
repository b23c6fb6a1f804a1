"""Reading one answer, whatever it comes from (a page's input, an API value, a cell of an
ODK / KoBoToolbox CSV export), into what is stored: text, a number or names of choices, and
for "cooperate with" answers the partners it names. One function per rule, so that the page,
the API and the import take the same answers."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from surveys.models import Question

YES = {"yes", "y", "true", "1", "sí", "si", "s", "sim"}
NO = {"no", "n", "false", "0", "não", "nao"}
NONE_PARTNER = "none"  # the XLSForm's "none of these" choice of a cooperation question


@dataclass
class Parsed:
    text: str = ""
    number: Decimal | None = None
    choices: list[str] = field(default_factory=list)
    partners: list[tuple[str, int]] = field(default_factory=list)  # ("firm" | "bso", id)


def is_blank(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, (list, tuple, set)):
        return not any(not is_blank(item) for item in raw)
    return str(raw).strip() == ""


def _words(raw) -> list[str]:
    if isinstance(raw, (list, tuple, set)):
        return [str(item).strip() for item in raw if str(item).strip()]
    return str(raw).split()


def _decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(_("A number."))
    try:
        value = Decimal(str(raw).strip().replace(",", ".") if isinstance(raw, str) else raw)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("A number.")) from None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise ValueError(_("A number."))
    return value


def partner_key(kind: str, pk: int) -> str:
    """How a cooperation answer names a partner: "firm_12", "bso_3" (the XLSForm's choices)."""
    return f"{kind}_{pk}"


def parse_partner(word: str) -> tuple[str, int]:
    kind, _sep, number = word.partition("_")
    if kind not in ("firm", "bso") or not number.isdigit():
        raise ValueError(
            _("“%(word)s” names no firm or organisation (write firm_<id> or bso_<id>).")
            % {"word": word}
        )
    return kind, int(number)


def parse_answer(question: Question, raw, choice_names: list[str] | None = None) -> Parsed | None:
    """The answer to `question` in `raw`, None when blank; ValueError says what is wrong.
    `choice_names`: the question's choices (one of, several of), in order."""
    if is_blank(raw):
        return None
    kind = question.kind
    Kind = Question.Kind
    if kind == Kind.TEXT:
        return Parsed(text=str(raw).strip())
    if kind == Kind.YES_NO:
        if isinstance(raw, bool):
            return Parsed(number=Decimal(int(raw)))
        word = str(raw).strip().lower()
        if word in YES:
            return Parsed(number=Decimal(1))
        if word in NO:
            return Parsed(number=Decimal(0))
        raise ValueError(_("Answer yes or no."))
    if kind == Kind.DECIMAL:
        return Parsed(number=_decimal(raw))
    if kind in (Kind.INTEGER, Kind.RATING):
        value = _decimal(raw)
        if value != value.to_integral_value():
            raise ValueError(_("A whole number."))
        if kind == Kind.RATING and not 1 <= value <= 5:
            raise ValueError(_("A rating from 1 to 5."))
        return Parsed(number=Decimal(int(value)))
    if kind == Kind.ONE_OF:
        name = str(raw).strip()
        if name not in (choice_names or []):
            raise ValueError(_("“%(name)s” is not one of the choices.") % {"name": name})
        return Parsed(text=name)
    if kind == Kind.SEVERAL_OF:
        names = _words(raw)
        unknown = [n for n in names if n not in (choice_names or [])]
        if unknown:
            raise ValueError(_("Not among the choices: %(names)s.") % {"names": ", ".join(unknown)})
        ordered = [n for n in choice_names or [] if n in names]
        return Parsed(choices=ordered)
    if kind == Kind.COOPERATION:
        partners = []
        for word in _words(raw):
            if word == NONE_PARTNER:
                continue
            partner = parse_partner(word)
            if partner not in partners:
                partners.append(partner)
        return Parsed(partners=partners, choices=[partner_key(*p) for p in partners])
    raise ValueError(_("Unknown kind of question."))
