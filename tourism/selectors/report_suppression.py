"""Small-cell suppression for published tables: no cell may describe fewer than 10 people, directly
or by subtraction.

Primary suppression hides every cell counting 1 to 9 people (a cell of nobody describes no one and
is shown). Secondary (complementary) suppression then hides more cells so a published total minus
the published cells cannot reveal a hidden one: in every line that has a total (a one-way table, or
each row and column of a cross table) the hidden cells must be at least two and together describe
at least 10 people; if not, the smallest visible cells are hidden too, and if a whole line is hidden
and still under 10 people, its total goes as well. Cross tables repeat this over rows and columns
until nothing changes. Pure Python: callers pass people counts, and hide every measure of a hidden
cell (bills, discounts, redemptions), since each of those describes the same people.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping

THRESHOLD = 10


def primary(people: int) -> bool:
    """A cell describing 1 to 9 people."""
    return 0 < people < THRESHOLD


Union = Callable[[Collection[Hashable]], int]


def _complete_line(
    counts: Mapping[Hashable, int], hidden: set[Hashable], union: Union | None = None
) -> set[Hashable]:
    """The cells of one line (with a published total) to hide so that neither one hidden cell nor
    the hidden cells together fall below the threshold by subtraction. `union` counts the distinct
    people of several cells (one person may be in two cells, such as two days); by default the sum."""
    together = union or (lambda keys: sum(counts[key] for key in keys))
    hidden = {key for key in counts if key in hidden}
    if not hidden:
        return hidden
    visible = sorted((key for key in counts if key not in hidden), key=lambda key: (counts[key], str(key)))
    while visible and (len(hidden) < 2 or together(hidden) < THRESHOLD):
        hidden.add(visible.pop(0))
    return hidden


def suppress_line(
    counts: Mapping[Hashable, int], *, union: Union | None = None
) -> tuple[set[Hashable], bool]:
    """A one-way table (category -> people) published with its total: (hidden categories, whether the
    total is hidden too). The total is hidden only if it describes 1 to 9 people (`union` of every
    cell when given)."""
    hidden = _complete_line(counts, {key for key, people in counts.items() if primary(people)}, union)
    total = union(list(counts)) if union else sum(counts.values())
    return hidden, primary(total)


def suppress_table(
    counts: Mapping[tuple[Hashable, Hashable], int],
) -> tuple[set[tuple[Hashable, Hashable]], set, set]:
    """A cross table ((row, column) -> people) published with row and column totals.

    Returns (hidden cells, hidden row totals, hidden column totals). A missing cell counts as 0 people
    and is never hidden (it is not published as a number of people). The grand total is hidden when
    `primary(sum)`, as for a line."""
    hidden = {key for key, people in counts.items() if primary(people)}
    rows = {row for row, _column in counts}
    columns = {column for _row, column in counts}
    changed = True
    while changed:
        changed = False
        for axis, lines in ((0, rows), (1, columns)):
            for line in lines:
                members = {key: people for key, people in counts.items() if key[axis] == line and people > 0}
                completed = _complete_line(members, hidden)
                if not completed <= hidden:
                    hidden |= completed
                    changed = True
    row_totals = {row: sum(p for (r, _c), p in counts.items() if r == row) for row in rows}
    column_totals = {column: sum(p for (_r, c), p in counts.items() if c == column) for column in columns}
    # The margins are a line of their own with the grand total.
    hidden_rows = _complete_line(row_totals, {row for row, people in row_totals.items() if primary(people)})
    hidden_columns = _complete_line(
        column_totals, {column for column, people in column_totals.items() if primary(people)}
    )
    return hidden, hidden_rows, hidden_columns
