"""The release ledger: publishing released cells, and reading them for every output.

See :mod:`survey_app.services.releases.publish` (the nightly ``survey-app releases publish``)
and :mod:`survey_app.services.releases.ledger` (what pages, the API, exports, the board report
and the public page read).
"""

from survey_app.services.releases.publish import (
    PublishResult,
    ReleaseError,
    helsinki_today,
    pending_months,
    pending_rounds,
    publish,
)

__all__ = ["PublishResult", "ReleaseError", "helsinki_today", "pending_months", "pending_rounds",
           "publish"]
