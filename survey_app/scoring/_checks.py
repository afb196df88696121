"""Input checks shared by the scoring modules (private)."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from .errors import ScoringError


def critical_z(confidence: float) -> float:
    """Two-sided standard normal quantile for `confidence`, after checking 0 < confidence < 1."""
    if isinstance(confidence, (str, bytes, complex, np.complexfloating)) or (
        isinstance(confidence, np.ndarray) and confidence.ndim
    ):
        raise ScoringError(f"confidence must be a number between 0 and 1, got {confidence!r}")
    try:
        level = float(confidence)
    except (TypeError, ValueError):
        raise ScoringError(
            f"confidence must be a number between 0 and 1, got {confidence!r}"
        ) from None
    if not 0.0 < level < 1.0:
        raise ScoringError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    return float(ndtri(0.5 + level / 2.0))


#: Largest count accepted: counts are exact in float64 below 2**53 and are stored as int64, so
#: anything larger would be rounded or wrap around (no survey comes near it).
MAX_COUNT = 2**53


def count_array(values, name: str) -> np.ndarray:
    """`values` as a float64 array of non-negative whole counts below 2**53, or ScoringError.

    Complex numbers, strings and objects are refused (not silently truncated); so are counts
    whose int64 copy would wrap (≥ 2**63) or whose float64 copy would round (≥ 2**53).
    """
    try:
        array = np.asarray(values)
    except (TypeError, ValueError, OverflowError):
        raise ScoringError(f"{name} must be numeric counts") from None
    if array.dtype == object or np.issubdtype(array.dtype, np.complexfloating) or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise ScoringError(f"{name} must be real numeric counts, got {array.dtype} values")
    if np.issubdtype(array.dtype, np.integer) and array.size and array.max() >= MAX_COUNT:
        raise ScoringError(f"{name} must be below 2**53 answers")
    array = array.astype(np.float64, copy=False)
    if array.size and not np.all(np.isfinite(array)):
        raise ScoringError(f"{name} must be finite counts (no NaN or infinity)")
    if array.size and array.min() < 0:
        raise ScoringError(f"{name} must not be negative (smallest is {array.min():g})")
    if array.size and array.max() >= MAX_COUNT:
        raise ScoringError(f"{name} must be below 2**53 answers (largest is {array.max():g})")
    if array.size and not np.all(array == np.round(array)):
        raise ScoringError(f"{name} must be whole numbers of answers")
    return array


def same_shape(**arrays: np.ndarray) -> None:
    """ScoringError unless all named arrays have one shape."""
    shapes = {name: np.shape(array) for name, array in arrays.items()}
    if len(set(shapes.values())) > 1:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ScoringError(f"arrays must have the same shape: {listed}")


def check_method(method: str, allowed: tuple[str, ...]) -> str:
    """`method` if it is one of `allowed`, else ScoringError naming the choices."""
    if method not in allowed:
        raise ScoringError(f"unknown method {method!r}; choose one of {', '.join(allowed)}")
    return method


def masked(values: np.ndarray, undefined: np.ndarray) -> np.ma.MaskedArray:
    """A masked array whose undefined entries are masked (and hold 0, never NaN)."""
    data = np.where(undefined, 0.0, values)
    return np.ma.MaskedArray(data, mask=np.asarray(undefined, dtype=bool).copy())


def optional_float(value) -> float | None:
    """A Python float, or None for a masked / non-finite entry."""
    if value is np.ma.masked or value is None:
        return None
    number = float(value)
    return number if np.isfinite(number) else None
