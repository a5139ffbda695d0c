"""docs/configuration.md documents every setting the service reads, under the name an operator sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackatlas.config import Settings

DOC = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_with_its_environment_variable(name: str):
    prefix = Settings.model_config["env_prefix"]
    row = next((line for line in DOC.splitlines() if line.startswith(f"| `{name}` |")), None)
    assert row is not None, f"docs/configuration.md has no table row for the setting {name!r}"
    assert f"`{prefix}{name.upper()}`" in row
