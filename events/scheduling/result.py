"""What a builder returns: placements, the matches left unplaced and why, violations, and the score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from events.scheduling.problem import Placement
from events.scheduling.rules import Rule, Severity, Violation


@dataclass(frozen=True)
class Unplaced:
    """A match the builder could not place, with the rules that ruled out its candidate places."""

    match_id: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Progress:
    """One report while solving: the best objective so far and the proven lower bound."""

    objective: int | None
    bound: int | None
    elapsed: float
    placed: int | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass
class ScheduleResult:
    builder: str  # "greedy" or "cpsat"
    placements: dict[str, Placement]
    unplaced: list[Unplaced]
    violations: list[Violation]
    objective: int
    bound: int | None = None  # proven lower bound of the objective, when the builder has one
    status: str = ""  # greedy: "complete"/"incomplete"; cpsat: "optimal", "feasible", ...
    elapsed: float = 0.0
    progress: list[Progress] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return len(self.placements)

    @property
    def publishable(self) -> bool:
        return not any(
            v.severity in (Severity.BLOCKS_SCHEDULING, Severity.BLOCKS_PUBLISHING) for v in self.violations
        )

    @property
    def gap(self) -> float | None:
        """(objective - bound) / objective, or None without a bound."""
        if self.bound is None or not self.objective:
            return None
        return (self.objective - self.bound) / self.objective
