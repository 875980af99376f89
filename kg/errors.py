"""Errors that reach the user with a clear location."""

from __future__ import annotations


class KgError(Exception):
    """Base class for errors the CLI reports without a traceback."""


class InputError(KgError):
    """Bad input: names the file, the line (when known) and what is wrong."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
