"""A page reads the unit tree once; any write or the end of the transaction reads it again."""

from __future__ import annotations

from survey_app.models import OrgUnit, UnitKind
from survey_app.services.reports.tree import UnitTree


def test_the_tree_is_read_once_per_transaction_and_again_after_a_write(session, make_unit):
    root = make_unit("ROOT")
    make_unit("A", parent=root)
    session.commit()
    first = UnitTree.load(session)
    assert UnitTree.load(session) is first
    assert sorted(first.by_code) == ["A", "ROOT"]

    make_unit("B", parent=root)  # flushes: the tree must not be the old one
    after_write = UnitTree.load(session)
    assert after_write is not first
    assert sorted(after_write.by_code) == ["A", "B", "ROOT"]

    cached = UnitTree.load(session)
    session.add(OrgUnit(code="C", parent_id=root.id, path="/", name_fi="C", name_sv="C",
                        name_en="C", kind=UnitKind.BOTH, active=True))
    session.flush()
    assert "C" in UnitTree.load(session).by_code
    session.rollback()  # C is gone again
    assert sorted(UnitTree.load(session).by_code) == ["A", "B", "ROOT"]
    cached = UnitTree.load(session)
    session.commit()
    assert UnitTree.load(session) is not cached
