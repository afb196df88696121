"""Which units a user or API token may see: one rule for pages, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import Session

from survey_app.models import OrgUnit, Role


@dataclass(frozen=True, slots=True)
class Scope:
    """Everything (admin, hr) or the subtrees under the given materialised paths (manager)."""

    everything: bool
    paths: tuple[str, ...] = ()

    def allows(self, unit: OrgUnit) -> bool:
        """True when ``unit`` lies inside one of the subtrees."""
        return self.everything or any(unit.path.startswith(path) for path in self.paths)

    def unit_filter(self):
        """A SQL condition on OrgUnit for the visible units (True for everything)."""
        if self.everything:
            return OrgUnit.id.is_not(None)
        if not self.paths:
            return OrgUnit.id.is_(None)
        return or_(*[OrgUnit.path.startswith(path, autoescape=True) for path in self.paths])


def scope_for(role: Role, scope_units: list[OrgUnit]) -> Scope:
    """The scope of a user or token with this role and these scope units."""
    if role in (Role.ADMIN, Role.HR):
        return Scope(everything=True)
    return Scope(everything=False, paths=tuple(sorted(unit.path for unit in scope_units)))


def scope_roots(session: Session, scope: Scope) -> list[OrgUnit]:
    """The top units a scope starts from: the tree's roots, or the manager's subtrees."""
    from sqlalchemy import select

    if scope.everything:
        return list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))
                                    .order_by(OrgUnit.code)))
    units = session.scalars(select(OrgUnit).where(OrgUnit.path.in_(scope.paths))).all()
    # A scope root nested in another scope root is not a root of its own.
    return [u for u in units if not any(u.path != p and u.path.startswith(p) for p in scope.paths)]
