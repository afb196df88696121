"""The one exception the scoring package raises for bad input."""


class ScoringError(ValueError):
    """Input that cannot be scored: negative counts, a confidence outside (0, 1), an unknown method,
    answers outside the scale, arrays of mismatched shape. The message says which and why."""
