"""Locate and load the shared statistical reference vectors (shared/reference/nps_vectors.json).

Looked up in $SURVEY_REFERENCE_DIR, else beside the repository (<repo>/../shared/reference), else
one level further up (a worktree under <root>/wt/<name>). Not finding them is an error, never a
skip: the vectors are what proves the statistics right.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

VECTORS = "nps_vectors.json"
REPO = Path(__file__).resolve().parents[2]


def reference_dir() -> Path:
    """The directory holding the vectors, or RuntimeError naming every place tried."""
    override = os.environ.get("SURVEY_REFERENCE_DIR")
    candidates = (
        [Path(override)]
        if override
        else [
            REPO / ".." / "shared" / "reference",
            REPO / ".." / ".." / "shared" / "reference",
        ]
    )
    for candidate in candidates:
        if (candidate / VECTORS).is_file():
            return candidate.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise RuntimeError(f"{VECTORS} not found (tried {tried}); set SURVEY_REFERENCE_DIR")


@cache
def load_vectors() -> dict:
    """The parsed reference vectors."""
    return json.loads((reference_dir() / VECTORS).read_text(encoding="utf-8"))
