"""The schedule builder: places matches on venue resources and times (issue 11, item 4).

Pure Python with no model or database import (an import-linter contract checks it): the `events`
services turn stages, competitors and venues into a `Problem` and store the `ScheduleResult`.
Times are whole minutes from midnight of day 0 in the venue's time zone.

- `Problem` and its parts (`Match`, `Competitor`, `Resource`, `TravelMatrix`, `AgeBandLimit`,
  `Placement`, `Weights`) describe what to place and the rules. People are opaque keys
  (`Competitor.people`): the builder sees every athlete in every event without knowing who they are.
- `check_schedule(problem, placements)` lists every `Violation` (rule, severity, matches, people,
  `.reason` in the active language); `ScheduleState(problem, placements).check_move(match_id,
  resource_id, start)` checks one drag-and-drop against the rest.
- `build_greedy(problem)` drafts in milliseconds; `build_cpsat(problem, time_limit=, workers=,
  warm_start=, on_progress=)` optimises with OR-Tools CP-SAT. Both return a `ScheduleResult`:
  placements, `unplaced` (each with its binding rules), violations, objective, bound, status;
  `on_progress` gets a `Progress(objective, bound, elapsed)` whenever either improves.
- `reschedule(problem, current, now=, delay=, resources=)` re-solves after a delay with the fewest
  moves; `schedule_diff(problem, before, after)` says which matches moved and whose (people,
  competitors, resources); `switch_plan(problem, current, plan)` switches to a contingency plan.
- `standard.standard_instance()` is the benchmark instance of issue 11, seeded.
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
