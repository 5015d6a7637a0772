import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI runs the same examples every time; locally, hypothesis explores.
settings.register_profile("ci", derandomize=True, max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=150, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    return REPO



@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """A failed test shows the logs its fixtures kept (``item.logs``: the
    log files of the processes it started), under its own failure: a
    server that stalls says why there, not in a log deleted with tmp_path."""
    report: pytest.TestReport = yield
    if report.failed:
        for path in getattr(item, "logs", []):
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            report.sections.append((f"Captured log of {Path(path).name}", text[-20_000:]))
    return report
