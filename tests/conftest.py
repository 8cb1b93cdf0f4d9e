"""Shared fixtures: the real edition project (this repository) and its configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_edition import config as config_mod
from tei_edition.corpus import documents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cfg():
    return config_mod.load(ROOT)


@pytest.fixture(scope="session")
def docs(cfg):
    return {d.id: d for d in documents(cfg)}


# ---- pytest-xdist (`make test`: -n 2 --dist loadfile): a test file is a unit of work, run whole by one worker, so
# that its module- and session-scoped fixtures are made once; files that share what one of them makes once per
# process (an lru_cache) are one unit. (xdist's own --dist loadgroup marks do nothing under pytest 9: the node id
# it extends is no longer an attribute.)

SHARED_BY = {"test_apparatus_render": "site", "test_browser": "site", "test_site": "site",     # test_site.built_site
             "test_dts": "exports", "test_exports": "exports", "test_odd_tei": "exports",   # test_exports_fixtures
             "test_reuse": "exports"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Files(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = Path(nodeid.split("::", 1)[0]).stem
            return SHARED_BY.get(module, module)

    return Files(config, log)


# ---- the bad-input and hostile-input matrices: counts printed after every run that holds their cases ----

_MATRIX: dict[str, dict[str, int]] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "case: a case of the bad-input or hostile-input matrix (counted in the "
                                       "summary: refused cleanly, escaped, internal error)")


def pytest_runtest_logreport(report):
    """A case is refused cleanly when its test passes; an internal error when the command said so (the
    toolkit's last resort, exit 70) or an exception escaped; escaped when the bad input got through."""
    if "case" not in report.keywords or (report.when != "call" and report.passed):
        return
    counts = _MATRIX.setdefault(report.nodeid.split("::")[0], dict.fromkeys(("tried", "refused", "escaped",
                                                                             "internal", "skipped"), 0))
    if report.skipped:
        counts["skipped"] += 1
        return
    counts["tried"] += 1
    if report.passed:
        counts["refused"] += 1
    elif "internal error" in str(report.longrepr) or not _crash(report).startswith(("AssertionError", "assert ",
                                                                                       "Failed")):
        counts["internal"] += 1
    else:
        counts["escaped"] += 1


def pytest_terminal_summary(terminalreporter):
    for path, c in sorted(_MATRIX.items()):
        skipped = f", {c['skipped']} skipped" if c["skipped"] else ""
        terminalreporter.write_line(f"matrix {path}: {c['tried']} cases tried, {c['refused']} refused cleanly, "
                                    f"{c['escaped']} escaped, internal errors: {c['internal']}{skipped}")


def _crash(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else str(report.longrepr)
