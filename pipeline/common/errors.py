"""The library's exceptions.

Every stage raises these, never prints. The CLI turns them into one line per problem,
``file:line: message``, and an exit code: 2 for bad input or usage, 1 for a failed check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: Path | str | None
    line: int | None
    message: str
    warning: bool = False  # reported, but does not fail the command

    def __str__(self) -> str:
        message = f"warning: {self.message}" if self.warning else self.message
        if self.path is None:
            return message
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {message}"


class DhrError(Exception):
    """Base class: one or more problems that stop the command."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(DhrError):
    """The input cannot be read or does not follow its format (exit code 2)."""

    exit_code = 2

    @classmethod
    def at(cls, path: Path | str | None, line: int | None, message: str) -> InputError:
        return cls(Problem(path, line, message))


class CheckFailed(DhrError):
    """The input was read, but a check on it failed (exit code 1)."""

    exit_code = 1
