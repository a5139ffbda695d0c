"""The wheel carries the model and the data, and an installed copy works on its own.

The wheel is built from the checkout, installed into a directory that is not
the checkout, and run from a directory outside the repository, so a copy that
silently fell back to the checkout's files would be caught.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_DIRS = ("ontology", "shapes", "graph_data")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # No build isolation: hatchling comes from the test extra, so the build
    # needs no network and takes seconds.
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    wheels = list(out.glob("stackatlas-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def run_installed(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python with the installed copy first on the path, from a directory outside the repo."""
    env = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False
    )


def test_wheel_carries_ontology_shapes_and_data(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for directory in DATA_DIRS:
        shipped = {
            f"stackatlas/_data/{p.relative_to(REPO).as_posix()}" for p in (REPO / directory).rglob("*.ttl")
        }
        assert shipped, f"{directory}/ holds no Turtle files"
        assert shipped <= names, sorted(shipped - names)
    assert "stackatlas/_data/graph_data/vendors/dagster.ttl" in names
    assert "stackatlas/cli.py" in names


def test_installed_copy_finds_its_own_files(installed: Path, tmp_path: Path):
    assert not tmp_path.resolve().is_relative_to(REPO)
    done = run_installed(
        installed,
        tmp_path,
        "-c",
        (
            "import stackatlas, stackatlas.resources as r\n"
            "print(stackatlas.__file__)\n"
            "print(r.ontology_dir()); print(r.shapes_dir()); print(r.data_dir())\n"
        ),
    )
    assert done.returncode == 0, done.stderr
    module, *dirs = done.stdout.split()
    assert Path(module).resolve().is_relative_to(installed.resolve())
    assert [Path(d).resolve() for d in dirs] == [
        (installed / "stackatlas" / "_data" / name).resolve() for name in DATA_DIRS
    ]


def test_installed_validate_passes_on_the_shipped_data(installed: Path, tmp_path: Path):
    done = run_installed(installed, tmp_path, "-m", "stackatlas", "validate", "--format", "json")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["summary"]["violations"] == 0
    files = {f["file"] for f in report["findings"] if f["file"]}
    assert any(f.endswith("vendors/dagster.ttl") for f in files)
    # Every file the report names is the installed copy's, never the checkout's.
    assert all(Path(f).resolve().is_relative_to(installed.resolve()) for f in files), files
