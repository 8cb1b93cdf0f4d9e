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
