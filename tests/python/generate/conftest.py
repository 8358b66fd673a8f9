"""Generated samples shared by the generator's tests: each generated once per session,
across pytest-xdist workers too (``shared_home``: the first worker generates, the
others wait and read it)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from liia.generate.sample import GenerateSummary, generate_sample
from tests.python.conftest import shared_home
from tests.python.generate.gen_csww_reader import Return, iter_returns


def _generate_clean(out: Path) -> None:
    summary = generate_sample(out / "incoming", seed=2025, manifest_path=out / "manifest.json")
    (out / "summary.pickle").write_bytes(pickle.dumps(summary))


@pytest.fixture(scope="session")
def clean_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateSummary]:
    out = shared_home(tmp_path_factory, "generate_clean", _generate_clean)
    return out, pickle.loads((out / "summary.pickle").read_bytes())


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
