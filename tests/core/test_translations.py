"""Every catalogue (each language of settings.LANGUAGES but English) is complete, and its compiled
.mo matches the .po; every message the code marks for translation is in each of them."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# English is the source language: the msgids are English, there is no catalogue to fill.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def po_path(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


# Where `make messages` looks: the whole project but these folders.
NOT_SCANNED = {".venv", "staticfiles", "node_modules", ".git"}
MARKERS = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
# {% translate "..." %} (or trans) with a literal, and an optional context "..."
TEMPLATE_TAG = re.compile(
    r'{%\s*(?:translate|trans)\s+"((?:[^"\\]|\\.)*)"(?:\s+context\s+"((?:[^"\\]|\\.)*)")?'
)


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def entries(language: str) -> list[tuple[str, str, str, bool]]:
    """(msgctxt, msgid, msgstr, fuzzy) of every singular entry but the header."""
    found = []
    for chunk in po_path(language).read_text().split("\n\n"):
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


def plural_chunks(language: str) -> list[str]:
    return [
        chunk for chunk in po_path(language).read_text().split("\n\n") if "msgid_plural" in chunk
    ]


def test_spanish_and_portuguese_are_offered():
    assert {"es", "pt"} <= set(TRANSLATED)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language):
    missing = [msgid for _ctxt, msgid, msgstr, fuzzy in entries(language) if not msgstr or fuzzy]
    assert len(entries(language)) > 500
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_plural_message_has_its_forms_translated(language):
    chunks = plural_chunks(language)
    assert chunks
    empty = [
        chunk
        for chunk in chunks
        if not all(
            unquote(form) for form in re.findall(r'^msgstr\[\d\] ((?:".*"\n?)+)', chunk, re.M)
        )
        or re.search(r"^#,.*fuzzy", chunk, re.M)
    ]
    assert empty == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_holds_every_translation(language):
    stale = []
    with translation.override(language):
        for ctxt, msgid, msgstr, _fuzzy in entries(language):
            got = translation.pgettext(ctxt, msgid) if ctxt else translation.gettext(msgid)
            if got != msgstr:
                stale.append(msgid)
    assert stale == [], "run `make messages` (compilemessages) and commit the .mo"


def project_files(suffix: str) -> list[Path]:
    return [
        path
        for path in ROOT.rglob(f"*{suffix}")
        if not NOT_SCANNED & set(path.relative_to(ROOT).parts)
    ]


def marked_in_python(path: Path) -> set[tuple[str, str]]:
    """(context, message) of every gettext call with literal text in a Python file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if name in MARKERS and texts and all(isinstance(t, str) for t in texts):
            found.add((texts[0], texts[1]) if name.startswith("pgettext") else ("", texts[0]))
    return found


def marked_in_templates(path: Path) -> set[tuple[str, str]]:
    """(context, message) of every {% translate "..." %} with literal text (blocktranslate
    bodies, with their placeholders, are left to makemessages)."""
    return {(ctxt or "", msgid) for msgid, ctxt in TEMPLATE_TAG.findall(path.read_text())}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_marked_in_the_code_is_in_the_catalogue(language):
    # (makemessages puts them there: `make messages`, then translate the new entries)
    catalogue = {(ctxt, msgid) for ctxt, msgid, _msgstr, _fuzzy in entries(language)}
    marked = set()
    for path in project_files(".py"):
        marked |= {(c, m, str(path.relative_to(ROOT))) for c, m in marked_in_python(path)}
    for path in project_files(".html"):
        marked |= {(c, m, str(path.relative_to(ROOT))) for c, m in marked_in_templates(path)}
    assert len(marked) > 500  # the scan finds the messages
    missing = sorted(
        (where, msgid) for ctxt, msgid, where in marked if msgid and (ctxt, msgid) not in catalogue
    )
    assert missing == []


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [("es", "actividad", "actividades"), ("pt", "atividade", "atividades")],
)
def test_plural_messages_read_right_for_one_and_for_many(language, one, many):
    """The catalogue's plural rule and its forms agree: every plural message has a form for
    one and a form for many, and the language shows them (not the English) for 1, 2 and 5."""
    chunks = plural_chunks(language)
    assert chunks
    for chunk in chunks:
        forms = sorted(re.findall(r"^msgstr\[(\d)\]", chunk, re.M))
        assert forms == ["0", "1"], chunk
    with translation.override(language):
        for count, word in ((1, one), (2, many), (5, many)):
            text = translation.ngettext("%(counter)s activity", "%(counter)s activities", count) % {
                "counter": count
            }
            assert text == f"{count} {word}"


# Placeholders, tags and entities a translation must keep exactly: %(name)s, %s, {name}, <b>...
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir%]|\{\w*\}|<[^>]+>|&\w+;")


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_tags_of_the_english(language):
    changed = [
        (msgid, msgstr)
        for _ctxt, msgid, msgstr, _fuzzy in entries(language)
        if msgstr and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert changed == []
