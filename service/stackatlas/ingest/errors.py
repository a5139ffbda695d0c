"""The one error a bad page produces: file, line and what is wrong, for a curator."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


class PageError(InputError):
    """A page that cannot be ingested; the command prints it as one line and exits 2."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path}: line {line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.reason = message
