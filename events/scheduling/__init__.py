"""The schedule builder: places matches on venue resources and times (issue 11, item 4).

Pure Python with no model or database import (an import-linter contract checks it): the `events`
services turn stages, competitors and venues into a `Problem` and store the `ScheduleResult`.

- `Problem` and its parts (`Match`, `Competitor`, `Resource`, `TravelMatrix`, `AgeBandLimit`,
  `Placement`, `Weights`) describe what to place and the rules.
- `check_schedule(problem, placements)` lists every `Violation` of a schedule;
  `ScheduleState(problem, placements).check_move(match_id, resource_id, start)` checks one move.
- `build_greedy(problem)` drafts in milliseconds; `build_cpsat(problem, time_limit=, workers=,
  on_progress=)` optimises with OR-Tools CP-SAT, warm-started from the greedy answer.
- `reschedule(...)` re-solves after a delay with the fewest moves; `schedule_diff(...)` says which
  matches moved and whom that affects; `switch_plan(...)` switches to a contingency plan.
"""

from events.scheduling.changes import (
    Move,
    ScheduleDiff,
    delayed_problem,
    reschedule,
    schedule_diff,
    switch_plan,
)
from events.scheduling.checker import ScheduleState, check_schedule, objective
from events.scheduling.cpsat import build_cpsat
from events.scheduling.greedy import build_greedy
from events.scheduling.problem import (
    AgeBandLimit,
    Competitor,
    Match,
    Placement,
    Problem,
    Resource,
    TravelMatrix,
    Weights,
)
from events.scheduling.result import Progress, ScheduleResult, Unplaced
from events.scheduling.rules import Rule, Severity, Violation

__all__ = [
    "AgeBandLimit",
    "Competitor",
    "Match",
    "Move",
    "Placement",
    "Problem",
    "Progress",
    "Resource",
    "Rule",
    "ScheduleDiff",
    "ScheduleResult",
    "ScheduleState",
    "Severity",
    "TravelMatrix",
    "Unplaced",
    "Violation",
    "Weights",
    "build_cpsat",
    "build_greedy",
    "check_schedule",
    "delayed_problem",
    "objective",
    "reschedule",
    "schedule_diff",
    "switch_plan",
]
