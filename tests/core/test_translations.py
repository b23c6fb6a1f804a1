"""The Spanish catalogue is complete, and the compiled .mo matches the .po."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def entries() -> list[tuple[str, str, str, bool]]:
    """(msgctxt, msgid, msgstr, fuzzy) of every singular entry but the header."""
    found = []
    for chunk in PO.read_text().split("\n\n"):
        if "msgid_plural" in chunk or "\nmsgid " not in f"\n{chunk}":
            continue
        fuzzy = "#, fuzzy" in chunk or ", fuzzy" in chunk
        ctxt = re.search(r'^msgctxt ((?:".*"\n?)+)', chunk, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', chunk, re.M)
        if msgid and msgstr and unquote(msgid.group(1)):
            found.append(
                (
                    unquote(ctxt.group(1)) if ctxt else "",
                    unquote(msgid.group(1)),
                    unquote(msgstr.group(1)),
                    fuzzy,
                )
            )
    return found


def test_every_message_has_a_spanish_translation():
    missing = [msgid for _ctxt, msgid, msgstr, fuzzy in entries() if not msgstr or fuzzy]
    assert missing == []


def test_the_compiled_catalogue_holds_every_translation():
    stale = []
    with translation.override("es"):
        for ctxt, msgid, msgstr, _fuzzy in entries():
            got = translation.pgettext(ctxt, msgid) if ctxt else translation.gettext(msgid)
            if got != msgstr:
                stale.append(msgid)
    assert stale == [], "run `make messages` (compilemessages) and commit the .mo"
