"""Fuzz suite settings: hypothesis profiles and the ``slow`` (long) profile.

The default run is bounded (the whole of tests/fuzz in well under a minute on 2 cores). Tests marked ``slow``
run the long profile; they are skipped unless the marker expression selects them explicitly
(``pytest tests/fuzz -m slow``).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "fuzz_long",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expr = config.getoption("markexpr") or ""
    if "slow" in expr and "not slow" not in expr:
        return
    skip = pytest.mark.skip(reason="long fuzz profile: run with -m slow")
    for item in items:
        if "slow" in item.keywords and "tests/fuzz" in str(item.fspath).replace("\\", "/"):
            item.add_marker(skip)
