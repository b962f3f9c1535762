"""How many digits each kind of number keeps when it is written or drawn.

numpy and OpenBLAS pick CPU-specific float kernels at run time (AVX-512, AVX2, FMA or not), so
the last bits of a float differ between machines. Rounding every written number to a stated
precision makes tables, manifests and figures byte-identical on every CPU; rounding scores
before ranking makes the order of near-ties (and so the terms shown) the same too.

The precision per kind of number (see docs/numbers.md):

- shares, probabilities, weights, similarities, coherence, stability, diversity and the
  keyness statistics (G², log ratio, log-odds, z): :data:`DECIMALS` (6) decimal places;
- rates per 1,000 tokens (columns starting ``per_1000``): 4 decimal places;
- perplexity: 3 decimal places;
- p- and q-values (:data:`P_VALUE_COLUMNS`), which span many orders of magnitude: :data:`P_VALUE_DIGITS`
  (6) significant digits.

Six decimals keep far more than any figure or reading needs (a share of 0.123457) and sit
nine orders of magnitude above the float noise between CPUs (about 1e-15 relative).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Decimal places of every float not matched by :data:`DECIMALS_BY_PREFIX` or :data:`P_VALUE_COLUMNS`.
DECIMALS = 6
#: Decimal places of columns whose numbers have another natural scale, by column-name prefix
#: (``per_1000`` covers ``per_1000_target``, ``per_1000_a``...).
DECIMALS_BY_PREFIX = {"per_1000": 4, "perplexity": 3}
#: Columns holding p-values, written with :data:`P_VALUE_DIGITS` significant digits.
P_VALUE_COLUMNS = frozenset({"p_value", "p_perm", "q_value"})
#: Significant digits of p-values.
P_VALUE_DIGITS = 6


def _is_p_value(column: str) -> bool:
    return column in P_VALUE_COLUMNS


def decimals_for(column: str) -> int:
    """Decimal places of a column that is not a p-value: by its name's prefix, else :data:`DECIMALS`.

    Parameters
    ----------
    column : str
        A column name or JSON key.

    Returns
    -------
    int
        Decimal places.
    """
    return next((d for prefix, d in DECIMALS_BY_PREFIX.items() if column.startswith(prefix)), DECIMALS)


def significant(value: float, digits: int = P_VALUE_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant digits (0, inf and NaN unchanged).

    Parameters
    ----------
    value : float
        Any float.
    digits : int
        Significant digits kept.

    Returns
    -------
    float
        The rounded value; ``-0.0`` becomes ``0.0``.
    """
    if value == 0 or not math.isfinite(value):
        return value + 0.0
    return float(f"{value:.{digits}g}") + 0.0


def round_array(values: np.ndarray | Any, decimals: int = DECIMALS) -> np.ndarray:
    """Values rounded to ``decimals`` places, with ``-0.0`` made ``0.0`` (so it prints as ``0.0``).

    Parameters
    ----------
    values : array-like
        Floats.
    decimals : int
        Decimal places kept.

    Returns
    -------
    numpy.ndarray
        A new float64 array.
    """
    import numpy as np

    return np.round(np.asarray(values, dtype=np.float64), decimals) + 0.0


def round_value(value: float, column: str = "") -> float:
    """One number rounded as a table column named ``column`` would be.

    Parameters
    ----------
    value : float
        The number.
    column : str
        What it is (``"share"``, ``"p_value"``, ``"perplexity"``...); "" for the default.

    Returns
    -------
    float
        The rounded number.
    """
    if _is_p_value(column):
        return significant(float(value))
    return round(float(value), decimals_for(column)) + 0.0


def round_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every float column rounded by its kind (see the module docstring).

    Index and columns are unchanged; integer, text and boolean columns are untouched. A
    float index (a similarity matrix's columns are article ids, never floats) is left as is.

    Parameters
    ----------
    table : pandas.DataFrame
        Any table.

    Returns
    -------
    pandas.DataFrame
        The rounded copy.
    """
    import numpy as np
    from pandas.api.types import is_float_dtype

    rounded = table.copy()
    for position, column in enumerate(table.columns):
        values = table.iloc[:, position]
        if not is_float_dtype(values.dtype):
            continue
        name = str(column)
        if _is_p_value(name):
            new = [significant(float(v)) for v in values]
        else:
            new = round_array(values.to_numpy(), decimals_for(name))
        rounded.isetitem(position, np.asarray(new, dtype=np.float64))
    return rounded


def round_json(value: Any) -> Any:
    """A JSON-ready value with every float rounded (dict keys name the kind of their values).

    Parameters
    ----------
    value : Any
        Nested dicts, lists, tuples, numbers and strings.

    Returns
    -------
    Any
        The same structure with floats rounded by :func:`round_value`.
    """
    return _round_json(value, "")


def _round_json(value: Any, key: str) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return round_value(value, key)
    if isinstance(value, dict):
        return {k: _round_json(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round_json(v, key) for v in value]
    if hasattr(value, "item"):  # a numpy scalar
        return _round_json(value.item(), key)
    return value
