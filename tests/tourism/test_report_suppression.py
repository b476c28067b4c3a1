"""Small-cell suppression: no published cell, directly or by subtraction from a total, describes 1 to 9 people."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tourism.selectors.report_suppression import THRESHOLD, suppress_line, suppress_table


def test_cells_under_ten_people_are_hidden_and_zero_is_shown():
    hidden, total_hidden = suppress_line({"Nanjing": 40, "Suzhou": 12, "Wuxi": 3, "Xuzhou": 9, "Hefei": 0})
    assert hidden == {"Wuxi", "Xuzhou"}  # 3 + 9 = 12: together they describe 12 people
    assert total_hidden is False


def test_a_lone_hidden_cell_takes_the_smallest_other_with_it():
    hidden, _ = suppress_line({"Nanjing": 40, "Suzhou": 12, "Wuxi": 3, "Changzhou": 15})
    assert hidden == {"Wuxi", "Suzhou"}  # total minus the others would give Wuxi's 3


def test_hidden_cells_together_under_ten_take_more():
    hidden, _ = suppress_line({"A": 2, "B": 3, "C": 30, "D": 11, "E": 50})
    assert hidden == {"A", "B", "D"}  # 2 + 3 = 5 would be revealed as the difference


def test_a_small_total_is_hidden_too():
    hidden, total_hidden = suppress_line({"A": 2, "B": 3})
    assert hidden == {"A", "B"} and total_hidden is True


def test_nothing_hidden_when_every_cell_has_ten_or_more():
    assert suppress_line({"A": 10, "B": 25}) == (set(), False)


@given(st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 40), min_size=1))
def test_no_line_reveals_a_small_group_by_subtraction(counts):
    hidden, total_hidden = suppress_line(counts)
    assert all(counts[key] == 0 or counts[key] >= THRESHOLD for key in counts if key not in hidden)
    if hidden and not total_hidden:
        # total minus every visible cell = the hidden cells' sum, which must describe 10 or more
        assert (
            len(hidden) >= 2
            or sum(counts.values()) - sum(counts[k] for k in counts if k not in hidden) >= THRESHOLD
        )
        assert sum(counts[key] for key in hidden) >= THRESHOLD or len(hidden) == len(counts)


def test_cross_table_hides_in_rows_and_columns():
    counts = {
        ("Sat", "Nanjing"): 20,
        ("Sat", "Suzhou"): 4,
        ("Sat", "Wuxi"): 30,
        ("Sun", "Nanjing"): 25,
        ("Sun", "Suzhou"): 18,
        ("Sun", "Wuxi"): 22,
    }
    hidden, hidden_rows, hidden_columns = suppress_table(counts)
    assert ("Sat", "Suzhou") in hidden
    # its column total is published: another Suzhou cell must go; its row total too: another Saturday cell
    assert ("Sun", "Suzhou") in hidden
    assert any(key in hidden for key in (("Sat", "Nanjing"), ("Sat", "Wuxi")))
    assert hidden_rows == set() and hidden_columns == set()


@given(
    st.dictionaries(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")), st.integers(0, 30), min_size=1)
)
def test_cross_table_lines_never_reveal_one_small_cell(counts):
    hidden, _rows, _columns = suppress_table(counts)
    assert all(not (0 < counts[key] < THRESHOLD) for key in counts if key not in hidden)
    for axis, line in itertools.chain(((0, r) for r in "abc"), ((1, c) for c in "xyz")):
        members = {k: v for k, v in counts.items() if k[axis] == line and v > 0}
        line_hidden = [k for k in members if k in hidden]
        if len(line_hidden) == 1 and len(members) > 1:
            raise AssertionError(f"line {line} hides one cell only: {line_hidden}")
