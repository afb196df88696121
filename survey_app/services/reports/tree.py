"""The organisation tree as arrays, and subtree roll-up of per-unit sums in one matrix product."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from survey_app.models import OrgUnit

from .results import UnitRef

#: Where :meth:`UnitTree.load` keeps the session's tree (``Session.info``).
_CACHE_KEY = "survey_app.unit_tree"

#: Unit kinds whose units answer each survey kind.
_KIND_UNITS = {"resident": ("resident", "both"), "pulse": ("staff", "both")}


@dataclass(slots=True, eq=False)
class UnitTree:
    """Every unit, indexed 0..U−1 in id order, with parents, paths and a roll-up matrix."""

    units: list[OrgUnit]
    ids: np.ndarray
    parent: np.ndarray
    index_of: dict[int, int]
    by_code: dict[str, int]
    children: list[list[int]]
    #: U × U sparse matrix: row u has a 1 for every unit in u's subtree (u included).
    subtree: sparse.csr_matrix = field(repr=False)
    #: Per unit: its subtree's resident wordings (computed on first use by :meth:`wording`).
    wordings: list[str | None] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, session: Session) -> UnitTree:
        """Every unit as arrays, read once per session transaction until it next writes (a
        page builds the tree in one place and reads it in several)."""
        tree = session.info.get(_CACHE_KEY)
        if tree is None:
            tree = session.info[_CACHE_KEY] = cls.read(session)
        return tree

    @classmethod
    def read(cls, session: Session) -> UnitTree:
        """Read every unit (one query) and build the arrays."""
        units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.id)))
        ids = np.array([u.id for u in units], dtype=np.int64)
        index_of = {int(unit_id): i for i, unit_id in enumerate(ids)}
        parent = np.array([index_of.get(u.parent_id, -1) if u.parent_id else -1 for u in units],
                          dtype=np.int64)
        children: list[list[int]] = [[] for _ in units]
        for i, p in enumerate(parent):
            if p >= 0:
                children[p].append(i)
        for siblings in children:
            siblings.sort(key=lambda i: units[i].code)
        rows, cols = [], []
        for i, unit in enumerate(units):
            for part in unit.path.strip("/").split("/"):
                if part and int(part) in index_of:
                    rows.append(index_of[int(part)])
                    cols.append(i)
        size = len(units)
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
        return cls(units, ids, parent, index_of, {u.code: i for i, u in enumerate(units)},
                   children, matrix)

    def __len__(self) -> int:
        return len(self.units)

    def roll_up(self, own: np.ndarray) -> np.ndarray:
        """Subtree totals from per-unit own sums: ``own`` has units on axis 0 (any shape after)."""
        flat = own.reshape(own.shape[0], -1)
        return np.asarray(self.subtree @ flat).reshape(own.shape)

    def parent_map(self) -> dict[int, int | None]:
        """Unit index → parent index (None for a root), for the privacy tree builder."""
        return {i: (int(p) if p >= 0 else None) for i, p in enumerate(self.parent)}

    def ref(self, i: int, lang: str) -> UnitRef:
        """The unit as plain data with its name in ``lang``."""
        unit = self.units[i]
        return UnitRef(unit.code, unit.name(lang), unit.depth, unit.active, bool(self.children[i]),
                       self.wording(i))

    def wording(self, i: int) -> str | None:
        """The resident question wording of ``i``'s subtree: None, one alternative, ``mixed``."""
        if self.wordings is None:
            answering = [u.kind.value in _KIND_UNITS["resident"] for u in self.units]
            names = sorted({u.wording for u, a in zip(self.units, answering, strict=True)
                            if a and u.wording})
            columns = [None, *names]
            own = np.array([[a and u.wording == name for name in columns]
                            for u, a in zip(self.units, answering, strict=True)],
                           dtype=np.float64).reshape(len(self), len(columns))
            present = self.roll_up(own) > 0 if len(self) else own.astype(bool)
            self.wordings = [None if not row[1:].any() else
                             "mixed" if row.sum() > 1 else columns[int(np.argmax(row))]
                             for row in present]
        return self.wordings[i]

    def ancestors(self, i: int) -> list[int]:
        """Indexes from the root down to the parent of ``i``."""
        chain = []
        p = self.parent[i]
        while p >= 0:
            chain.append(int(p))
            p = self.parent[p]
        return chain[::-1]

    def answering(self, kind: str) -> np.ndarray:
        """Per unit: True when its subtree holds a unit that answers surveys of ``kind``."""
        own = np.array([u.kind.value in _KIND_UNITS[kind] for u in self.units], dtype=np.float64)
        return self.roll_up(own) > 0 if len(self) else own.astype(bool)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_transaction_end")
def _forget_tree(session: Session, *_args) -> None:
    """A write, or the end of the transaction (commit, rollback, close), may have changed the
    units or detached them: read them again next time."""
    session.info.pop(_CACHE_KEY, None)
