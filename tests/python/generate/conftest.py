"""Generated samples shared by the generator's tests: each generated once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liia.generate.sample import GenerateSummary, generate_sample
from tests.python.generate.gen_csww_reader import Return, iter_returns


@pytest.fixture(scope="session")
def clean_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateSummary]:
    out = tmp_path_factory.mktemp("generate_clean")
    manifest = out / "manifest.json"
    summary = generate_sample(out / "incoming", seed=2025, manifest_path=manifest)
    return out, summary


@pytest.fixture(scope="session")
def clean_dir(clean_sample: tuple[Path, GenerateSummary]) -> Path:
    return clean_sample[0] / "incoming"


@pytest.fixture(scope="session")
def clean_returns(clean_dir: Path) -> list[Return]:
    return list(iter_returns(clean_dir))


@pytest.fixture(scope="session")
def messy_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("generate_messy")
    manifest = out / "manifest.json"
    generate_sample(out / "incoming", seed=2025, messy=True, manifest_path=manifest)
    return out / "incoming", json.loads(manifest.read_text())
