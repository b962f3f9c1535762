"""Argument checks shared by every stage: one implementation of each, one style of message.

Each check returns the cleaned value or raises a :class:`ValueError` that names the argument,
what was expected and what was given, so the CLI can print it as one line.
"""

from __future__ import annotations

import operator
from typing import Any


def as_int(value: Any, name: str, who: str | None = None, minimum: int | None = None) -> int:
    """``value`` as a Python int (numpy integers accepted, booleans refused).

    Parameters
    ----------
    value : Any
        The argument to check.
    name : str
        Its name, as the caller's user knows it ("top_n", "each seed").
    who : str, optional
        The public function being called, put in front of the message.
    minimum : int, optional
        The smallest accepted value.

    Returns
    -------
    int
        The value as a plain ``int``.

    Raises
    ------
    ValueError
        When ``value`` is not an integer or is below ``minimum``.
    """
    prefix = f"{who}: " if who else ""
    wanted = "an integer" if minimum is None else ("a positive integer" if minimum == 1 else f"an integer >= {minimum}")
    example = 0 if minimum is None else max(minimum, 1)
    if isinstance(value, bool):
        raise ValueError(f"{prefix}{name} must be {wanted}, got {value!r}; pass an int such as {example}")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{prefix}{name} must be {wanted}, got {value!r}; pass an int such as {example}") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{prefix}{name} must be {wanted}, got {value!r}; pass an int such as {example}")
    return number


def positive_int(value: Any, name: str, who: str | None = None) -> int:
    """``value`` as an int of at least 1 (see :func:`as_int`)."""
    return as_int(value, name, who, minimum=1)
