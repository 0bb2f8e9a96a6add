"""The one exception type for errors a user can cause and fix.

A bad file, a bad YAML key, an unknown name: each raises :class:`PlaybookError` with a message that
says where (file, row, field), what was found and what was expected. The CLI prints it on one line
and exits non-zero.
"""

from __future__ import annotations

from os import PathLike


class PlaybookError(Exception):
    """An error in the user's input, with its location and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike | None = None,
        row: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.field = field
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [p for p in (
            self.path,
            None if self.row is None else f"row {self.row}",
            None if self.field is None else f"field '{self.field}'",
        ) if p]
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.expected:
            text += f" (expected {self.expected})"
        return text


def check_keys(mapping, allowed, *, path: str | PathLike | None = None, where: str = "") -> None:
    """Refuse keys of ``mapping`` that are not in ``allowed``, suggesting the nearest allowed key.

    A misspelt key (``wieght``, ``normalize``) would otherwise be ignored and a different result
    produced with exit 0; this raises one :class:`PlaybookError` naming the first unknown key,
    ``did you mean 'weight'?`` when one is close, and the keys that are allowed.
    """
    from difflib import get_close_matches

    allowed = [str(k) for k in allowed]
    unknown = [str(k) for k in mapping if str(k) not in allowed]
    if not unknown:
        return
    key = unknown[0]
    near = get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    field = f"{where}.{key}" if where else key
    raise PlaybookError(f"unknown key '{key}'{hint}", path=path, field=field,
                        expected="one of " + ", ".join(sorted(allowed)))
