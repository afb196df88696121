"""Benchmark: grouped NPS with score intervals vs a vectorised pandas baseline, same data, same run.

10 million answers over 300 units × 36 months (10,800 groups). Ours: `scoring.grouped_nps`
(one bincount, then the default interval, `score-cc`: Tango's score interval with a continuity
correction, for all groups by one joint 34-step bisection). Baseline:
pandas groupby + value_counts per score, then the Wald formula (cheaper than a score interval).
Reports the best of `--repeat` wall times (the two run alternately, so both see the same load on a
shared machine), the speed ratio, and the peak extra memory (tracemalloc, which sees numpy and
pandas buffers) relative to the input arrays.

    /work/main/.venv/bin/python bench/bench_scoring.py [--answers 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

# Score with this checkout's package, whatever else the environment has installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from survey_app.scoring import DEFAULT_METHOD, grouped_nps, grouped_nps_from_counts  # noqa: E402

UNITS, MONTHS = 300, 36


def make_answers(count: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """Keys (unit × 36 + month, int64) and answers 0–10 (int8) with unit-specific leanings."""
    rng = np.random.default_rng(seed)
    units = rng.integers(0, UNITS, count)
    keys = units * MONTHS + rng.integers(0, MONTHS, count)
    lean = rng.integers(-3, 4, UNITS)[units]
    scores = np.clip(rng.binomial(10, 0.75, count) + lean, 0, 10).astype(np.int8)
    return keys, scores


def ours(keys: np.ndarray, scores: np.ndarray):
    """The package under test: grouped NPS with the default (score-cc) intervals."""
    return grouped_nps(keys, scores, 0.95, DEFAULT_METHOD)


def pandas_baseline(keys: np.ndarray, scores: np.ndarray) -> pd.DataFrame:
    """groupby + value_counts, categories summed from score columns, Wald interval."""
    frame = pd.DataFrame({"key": keys, "score": scores})
    counts = frame.groupby("key")["score"].value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=range(11), fill_value=0)
    detractors = counts.loc[:, 0:6].sum(axis=1)
    promoters = counts.loc[:, 9:10].sum(axis=1)
    n = counts.sum(axis=1)
    share_p, share_d = promoters / n, detractors / n
    value = share_p - share_d
    half = 1.959964 * np.sqrt((share_p + share_d - value**2) / n)
    return pd.DataFrame(
        {
            "n": n,
            "value": 100 * value,
            "low": 100 * (value - half).clip(-1, 1),
            "high": 100 * (value + half).clip(-1, 1),
        }
    )


def measure(function, *args, repeat: int) -> tuple[float, int, object]:
    """(best wall seconds, peak extra bytes over the call, last result)."""
    best, peak, result = float("inf"), 0, None
    for _ in range(repeat):
        result = None
        tracemalloc.start()
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return best, peak, result


def interleaved(first, second, args, repeat: int) -> tuple[float, float]:
    """Best wall seconds of two functions, run alternately so both see the same machine load."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for slot, function in enumerate((first, second)):
            start = time.perf_counter()
            function(*args)
            best[slot] = min(best[slot], time.perf_counter() - start)
    return best[0], best[1]


def timed(function, *args, repeat: int) -> float:
    """Best wall seconds without tracemalloc (its hooks slow allocation-heavy code)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def _row(label: str, seconds: float, peak: int, input_bytes: int) -> str:
    """One markdown table row: time, peak extra memory and its ratio to the input arrays."""
    return f"| {label} | {seconds:.3f} | {peak / 2**20:.0f} MiB | {peak / input_bytes:.2f}× |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", type=Path, default=None, help="append the table to this file")
    options = parser.parse_args()

    keys, scores = make_answers(options.answers)
    input_bytes = keys.nbytes + scores.nbytes
    ours_s, pandas_s = interleaved(ours, pandas_baseline, (keys, scores), options.repeat)
    _, ours_peak, result = measure(ours, keys, scores, repeat=1)
    _, pandas_peak, baseline = measure(pandas_baseline, keys, scores, repeat=1)
    assert np.array_equal(result.n, baseline["n"].to_numpy())
    assert np.allclose(np.asarray(result.value), baseline["value"].to_numpy())

    histograms_d, histograms_m, histograms_p = result.detractors, result.passives, result.promoters
    counts_s = timed(
        grouped_nps_from_counts, histograms_d, histograms_m, histograms_p, repeat=options.repeat
    )

    lines = [
        f"answers {options.answers:,}, groups {len(result):,} ({UNITS} units × {MONTHS} months), "
        f"input arrays {input_bytes / 2**20:.0f} MiB (int64 keys + int8 scores), "
        f"best of {options.repeat}",
        "",
        "| step | time (s) | peak extra memory | vs input |",
        "|---|---:|---:|---:|",
        _row(f"scoring.grouped_nps, {DEFAULT_METHOD} interval", ours_s, ours_peak, input_bytes),
        _row("pandas groupby + value_counts + Wald", pandas_s, pandas_peak, input_bytes),
        f"| scoring.grouped_nps_from_counts ({len(result):,} groups) | {counts_s:.4f} | | |",
        "",
        f"speed ratio pandas / ours: {pandas_s / ours_s:.1f}×",
    ]
    text = "\n".join(lines)
    print(text)
    if options.write:
        with options.write.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
