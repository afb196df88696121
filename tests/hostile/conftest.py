"""The small county of the API tests, reused by the authorization matrix."""

from tests.web.api.conftest import county, hr_token, manager_token, users  # noqa: F401
