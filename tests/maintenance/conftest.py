"""The exchange tests' session-scoped registries with certificates (county CA, supervisor, township), for the
tests that follow a purge or an import across laptops."""

from tests.exchange.conftest import templates  # noqa: F401
