"""The two error types the VM layer raises at users: bad files and failed runs."""

from __future__ import annotations

from dataclasses import dataclass, field


class BytecodeError(Exception):
    """A ``.stflb`` file (or source map) is malformed; the message names what and where."""


@dataclass(frozen=True, slots=True)
class SourceLocation:
    file: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class FrameInfo:
    """One entry of a run-time call stack: function, instruction index, source location."""

    function: str
    pc: int
    location: SourceLocation | None = None

    def __str__(self) -> str:
        where = f"{self.function} @ {self.pc}"
        if self.location is not None:
            loc = self.location
            where += f" ({loc.file}:{loc.line}:{loc.column})"
        return where


@dataclass(eq=False)
class VMError(Exception):
    """A run-time error; ``stack`` lists frames innermost first (at most a short prefix)."""

    message: str
    stack: list[FrameInfo] = field(default_factory=list)

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message)

    @property
    def function(self) -> str | None:
        return self.stack[0].function if self.stack else None

    @property
    def pc(self) -> int | None:
        return self.stack[0].pc if self.stack else None

    @property
    def location(self) -> SourceLocation | None:
        return self.stack[0].location if self.stack else None

    def __str__(self) -> str:
        if not self.stack:
            return self.message
        lines = [self.message]
        lines.extend(f"  at {f}" for f in self.stack[:MAX_SHOWN_FRAMES])
        if len(self.stack) > MAX_SHOWN_FRAMES:
            lines.append(f"  ... ({len(self.stack) - MAX_SHOWN_FRAMES} more frames)")
        return "\n".join(lines)


#: Frames kept when rendering a VMError; deep recursion would otherwise flood the message.
MAX_SHOWN_FRAMES = 8
#: Frames recorded at all while unwinding.
MAX_RECORDED_FRAMES = 64
