"""Input borders and focus rings stand out at 3:1 or better against what surrounds them (WCAG
1.4.11, non-text contrast), read from the stylesheet itself: its custom properties resolved,
each colour's relative luminance by WCAG's formula. A later colour change that breaks it fails
here. (Disabled inputs are exempt, as WCAG says.)"""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
MINIMUM = 3.0


# --- reading the stylesheet ---------------------------------------------------------------------


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every style rule, those inside @media blocks too."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found, start, selector_stack = [], 0, []
    for index, char in enumerate(css):
        if char == "{":
            selector_stack.append(css[start:index].strip())
            start = index + 1
        elif char == "}":
            selector = selector_stack.pop()
            body = css[start:index]
            if not selector.startswith("@") and "{" not in body:
                declarations = {}
                for declaration in body.split(";"):
                    name, _sep, value = declaration.partition(":")
                    if value.strip():
                        declarations[name.strip().lower()] = value.strip()
                found.append((selector, declarations))
            start = index + 1
    return found


def custom_properties(css: str) -> dict[str, str]:
    return {
        name: value
        for selector, declarations in rules(css)
        if selector == ":root"
        for name, value in declarations.items()
        if name.startswith("--")
    }


COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|\bwhite\b|\bblack\b")


def resolved(value: str, properties: dict[str, str]) -> str:
    for _round in range(5):
        value = re.sub(r"var\((--[\w-]+)\)", lambda m: properties[m.group(1)], value)
    return value


def rgb(colour: str, over: tuple[float, float, float] = (255, 255, 255)) -> tuple[float, ...]:
    """A CSS colour as (r, g, b) 0-255; a translucent one as it shows over `over`."""
    colour = colour.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour, colour)
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
    else:
        parts = [p.strip() for p in re.split(r"[,/ ]+", colour[colour.index("(") + 1 : -1]) if p]
        channels = [float(p) for p in parts[:3]]
        alpha = float(parts[3]) if len(parts) > 3 else 1.0
    return tuple(alpha * c + (1 - alpha) * o for c, o in zip(channels, over, strict=True))


def luminance(colour: tuple[float, ...]) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, ...], other: tuple[float, ...]) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- what the stylesheet says about inputs and focus ---------------------------------------------

CSS = STYLESHEET.read_text(encoding="utf-8")
PROPERTIES = custom_properties(CSS)
RULES = rules(CSS)
# the surfaces forms sit on: the page, cards, white panels and the sticky save bar
LIGHT_SURFACES = {
    "page (--bg)": rgb(resolved("var(--bg)", PROPERTIES)),
    "card (--card)": rgb(resolved("var(--card)", PROPERTIES)),
    "white": rgb("#fff"),
    "note": rgb("#eef4f9"),
}
HEADER = {"header (--brand)": rgb(resolved("var(--brand)", PROPERTIES))}
CONTROL = re.compile(r"(^|[\s>+~(,])(input|select|textarea)\b")
BORDER_PROPERTIES = ("border", "border-color", "border-top", "border-bottom", "box-shadow")


def subjects(selector: str) -> list[str]:
    return [part.strip() for part in selector.split(",")]


def colours_of(value: str) -> list[str]:
    return COLOUR.findall(resolved(value, PROPERTIES))


def input_borders() -> list[tuple[str, str, str]]:
    """(selector, property, colour) of every border drawn around an enabled form control."""
    found = []
    for selector, declarations in RULES:
        for subject in subjects(selector):
            last = re.split(r"[\s>+~]+", subject)[-1]
            if not CONTROL.search(" " + last) or ":disabled" in subject:
                continue
            if re.search(r"type=\"?(checkbox|radio|hidden|submit)", last):
                continue
            for name in BORDER_PROPERTIES:
                for colour in colours_of(declarations.get(name, "")):
                    found.append((subject, name, colour))
    return found


def focus_rings() -> list[tuple[str, str, str]]:
    """(selector, property, colour) of every outline or ring drawn on focus."""
    found = []
    for selector, declarations in RULES:
        for subject in subjects(selector):
            if ":focus" not in subject:
                continue
            for name in ("outline", "outline-color", "box-shadow"):
                for colour in colours_of(declarations.get(name, "")):
                    found.append((subject, name, colour))
    return found


def surfaces_of(selector: str, declarations_background: str = "") -> dict:
    if selector.startswith(".site-header"):
        return HEADER
    surfaces = dict(LIGHT_SURFACES)
    if declarations_background:
        surfaces["its own background"] = rgb(declarations_background)
    return surfaces


def test_the_stylesheet_is_read():
    """The reader finds the rules it checks (a parsing mistake must not pass unseen)."""
    assert PROPERTIES["--input-border"] and PROPERTIES["--focus"]
    assert len(input_borders()) >= 5
    assert len(focus_rings()) >= 3
    assert round(contrast(rgb("#fff"), rgb("#000")), 2) == 21.0
    assert round(contrast(rgb("#777"), rgb("#fff")), 2) == 4.48  # WCAG's worked example


@pytest.mark.parametrize(("selector", "prop", "colour"), input_borders())
def test_input_borders_stand_out_at_3_to_1(selector, prop, colour):
    backgrounds = [
        d.get("background", d.get("background-color", ""))
        for s, d in RULES
        if selector in subjects(s)
    ]
    own = next((c for b in backgrounds for c in colours_of(b)), "")
    for name, surface in surfaces_of(selector, own).items():
        ratio = contrast(rgb(colour, over=surface), surface)
        assert ratio >= MINIMUM, f"{selector} {prop} {colour} on {name}: {ratio:.2f}:1"


@pytest.mark.parametrize(("selector", "prop", "colour"), focus_rings())
def test_focus_rings_stand_out_at_3_to_1(selector, prop, colour):
    for name, surface in surfaces_of(selector).items():
        ratio = contrast(rgb(colour, over=surface), surface)
        assert ratio >= MINIMUM, f"{selector} {prop} {colour} on {name}: {ratio:.2f}:1"


def test_focus_in_the_header_has_a_ring_of_its_own():
    """The header is the brand colour: the page's focus ring (the same blue) would vanish on it,
    so the header's links and buttons draw theirs in a colour of their own."""
    page_ring = colours_of(PROPERTIES["--focus"])[0]
    assert contrast(rgb(page_ring), HEADER["header (--brand)"]) < MINIMUM  # why it is needed
    header = [(s, c) for s, _prop, c in focus_rings() if s.startswith(".site-header")]
    covered = {s.split()[-1] for s, _c in header}
    assert {"a:focus-visible", "button:focus-visible"} <= covered, covered
    for selector, colour in header:
        ratio = contrast(rgb(colour), HEADER["header (--brand)"])
        assert ratio >= MINIMUM, f"{selector} {colour}: {ratio:.2f}:1"
