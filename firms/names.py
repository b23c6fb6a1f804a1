"""How two spellings of one firm's name (or locality) are told to be the same: the key the
duplicate rule compares (firms.selectors.duplicate_pairs)."""

import re
import unicodedata

# Legal forms written after (or before) a firm's name, as they read once normalised (lower case,
# no accents, no punctuation): "S.A." -> "s a" -> "sa". Compared word by word at the name's end.
LEGAL_SUFFIXES = (
    ("s", "a", "s"),  # S.A.S.
    ("s", "a", "c"),  # S.A.C. (Peru)
    ("s", "a", "de", "c", "v"),  # S.A. de C.V. (Mexico)
    ("s", "de", "r", "l"),  # S. de R.L.
    ("s", "r", "l"),  # S.R.L.
    ("s", "a"),  # S.A.
    ("s", "l"),  # S.L.
    ("e", "i", "r", "l"),  # E.I.R.L.
    ("c", "a"),  # C.A. (Venezuela)
    ("y", "cia"),  # y Cía.
    ("ltda",),
    ("ltd",),
    ("llc",),
    ("inc",),
    ("corp",),
    ("co",),
    ("gmbh",),
    ("sas",),
    ("sac",),
    ("srl",),
    ("sa",),
    ("sl",),
    ("eirl",),
    ("spa",),
    ("cia",),
    ("limited",),
    ("limitada",),
)


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


def name_key(name: str) -> str:
    """A firm name's key: folded, legal forms at its end dropped (repeatedly: "Foo Ltda. S.A."),
    words then joined without spaces so that "Agro Sur" and "AgroSur" meet."""
    words = fold(name).split()
    dropped = True
    while dropped and len(words) > 1:
        dropped = False
        for suffix in LEGAL_SUFFIXES:
            n = len(suffix)
            if len(words) > n and tuple(words[-n:]) == suffix:
                words = words[:-n]
                dropped = True
                break
    return "".join(words)


def locality_key(locality: str) -> str:
    return "".join(fold(locality).split())


def tax_id_clean(tax_id: str) -> str:
    """A tax id as stored: letters and digits, upper case ("30-71234567-8" -> "30712345678")."""
    return re.sub(r"[^0-9A-Za-z]", "", tax_id or "").upper()
