"""Filling the report pages' templates safely: one escaping function per context.

The pages (the topic explorer, the one-article report) are package files in
``analysis/report/templates/`` with ``$name`` placeholders. A value reaches them only through
the filling function of its context, which escapes it: :func:`fill_markup` (HTML text and
attributes, by :func:`markup`), :func:`fill_style` (colour custom properties, by
:func:`css_colour`) and :func:`fill_script` (a JSON payload, by :func:`script_json`). What a
filling returns is :class:`Escaped` and goes in as it is; anything else is escaped again.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Sequence
from importlib import resources
from string import Template
from typing import Any

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_TEMPLATE_FOLDER = "templates"


_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def markup(text: str) -> str:
    """``text`` safe inside HTML text or a quoted attribute, as ASCII."""
    cleaned = _CONTROL_CHARACTERS.sub("\ufffd", text)
    return html.escape(cleaned, quote=True).encode("ascii", "xmlcharrefreplace").decode("ascii")


def css_colour(value: str) -> str:
    """``value`` if it is a ``#rrggbb`` colour, the only kind of value the style takes.

    Raises
    ------
    ValueError
        For anything else, which could end the declaration and add rules of its own.
    """
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value):
        raise ValueError(f"COLOURS values must be '#rrggbb' hex colours, got {value!r}")
    return value


def script_json(value: Any) -> str:
    """JSON that can sit inside an HTML ``<script>`` element without ending it.

    Parameters
    ----------
    value : Any
        JSON-serialisable data (no NaN or infinity).

    Returns
    -------
    str
        ``json.dumps`` with sorted keys and ASCII output, in which ``<``, ``>``, ``&``,
        U+2028 and U+2029 are written as ``\\uXXXX`` escapes. These characters only occur
        inside JSON strings, where the escapes mean the same, so the text is still valid
        JSON and a valid JavaScript expression.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    for character, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escape)
    return text


class Escaped(str):
    """Text already fit for its place in the page: the result of a filling, so inserted as it is.

    Anything else given to :func:`fill_markup` is escaped; a ``str`` operation on an
    ``Escaped`` value returns a plain ``str``, which would be escaped again, never trusted.
    """


@functools.cache
def template(name: str) -> Template:
    """The package file ``templates/<name>`` as a :class:`string.Template`, read once.

    Read through :mod:`importlib.resources`, so it is found in an installed package (even a
    zipped one) as well as in the source tree.
    """
    return Template((resources.files("analysis.report") / _TEMPLATE_FOLDER / name).read_text(encoding="utf-8"))


def substitute(template: Template, values: dict[str, str]) -> Escaped:
    """``template`` with its placeholders replaced by ``values``, which must match them exactly.

    Raises
    ------
    ValueError
        When a placeholder has no value or a value has no placeholder (template and code disagree).
    """
    expected = set(template.get_identifiers())
    if set(values) != expected:
        raise ValueError(
            f"template placeholders {sorted(expected - set(values))} have no value and values "
            f"{sorted(set(values) - expected)} have no placeholder; make the template and its filling agree"
        )
    return Escaped(template.substitute(values))


def fill_markup(template: Template, **values: str) -> Escaped:
    """Fill HTML or SVG: each value escaped by :func:`markup`, unless it is already :class:`Escaped`."""
    return substitute(template, {k: v if isinstance(v, Escaped) else markup(v) for k, v in values.items()})


def fill_style(template: Template, colours: dict[str, str]) -> Escaped:
    """Fill the style sheet's colour custom properties (``$topic`` ...) from ``colours``."""
    return substitute(template, {role: css_colour(colour) for role, colour in colours.items()})


def fill_script(template: Template, payload: Any) -> Escaped:
    """Fill the script's ``$payload`` with ``payload`` as :func:`script_json`."""
    return substitute(template, {"payload": script_json(payload)})


def lines(fragments: Sequence[Escaped]) -> Escaped:
    """Filled fragments one per line; joining escaped text keeps it escaped."""
    if not all(isinstance(fragment, Escaped) for fragment in fragments):
        raise TypeError("only filled fragments may be joined into the page")
    return Escaped("\n".join(fragments))


def percent(share: float) -> str:
    """A share as a whole percentage, ``<1%`` for small positive shares (as the page's script)."""
    value = 100.0 * share
    return "<1%" if 0 < value < 1 else f"{math.floor(value + 0.5)}%"
