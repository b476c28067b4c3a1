"""The city report's figures from plain rows, with small-cell suppression applied: pure Python.

`tourism.selectors.report` reads the rows from the database (one row per redemption that stands,
reversed ones left out) and the stub counts; this module adds them up by origin, host city, merchant
category and day, and hides what would describe fewer than 10 people. A "person" is a stub: one
ticket, one holder (a family ticket's party is one holder's party), so counting distinct stubs never
counts more people than there are. Every measure of a hidden cell (redemptions, bills, discounts,
subsidy) is hidden with it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from tourism.areas import is_out_of_town, origin_key, origin_label
from tourism.selectors.report_suppression import THRESHOLD, primary, suppress_line

TOP_MERCHANTS = 10


@dataclass(frozen=True)
class RedemptionRow:
    stub_id: int
    day: dt.date  # local date of the redemption
    host_key: str  # the slug of the city where it was redeemed (the store's)
    host_label: str
    category_key: str
    category_label: str
    merchant_id: int
    merchant_label: str
    area_code: str  # the holder's six-digit area code, "" when unknown
    bill_fen: int
    discount_fen: int
    subsidy_fen: int  # 0 for an offer without subsidy


@dataclass
class Cell:
    key: Hashable
    label: str
    stubs: set[int] = field(default_factory=set)
    redemptions: int = 0
    bill_fen: int = 0
    discount_fen: int = 0
    subsidy_fen: int = 0
    hidden: bool = False

    @property
    def people(self) -> int:
        return len(self.stubs)

    def add(self, row: RedemptionRow) -> None:
        self.stubs.add(row.stub_id)
        self.redemptions += 1
        self.bill_fen += row.bill_fen
        self.discount_fen += row.discount_fen
        self.subsidy_fen += row.subsidy_fen

    def value(self, measure: str) -> int | None:
        """A measure ("people", "redemptions", "bill_fen"...), None when the cell is hidden."""
        return None if self.hidden else getattr(self, measure)


@dataclass
class Breakdown:
    slug: str
    cells: list[Cell]
    total: Cell

    @property
    def any_hidden(self) -> bool:
        return any(cell.hidden for cell in self.cells)


def breakdown(
    slug: str,
    rows: Iterable[RedemptionRow],
    key: Callable[[RedemptionRow], tuple[Hashable, str]],
    *,
    order: Callable[[Cell], object] | None = None,
) -> Breakdown:
    """Rows added up by `key` (returning the cell's key and label), suppressed, in `order` (by
    default the most redemptions first)."""
    cells: dict[Hashable, Cell] = {}
    total = Cell(key="", label="")
    for row in rows:
        cell_key, label = key(row)
        cells.setdefault(cell_key, Cell(key=cell_key, label=label)).add(row)
        total.add(row)

    def union(keys) -> int:
        return len(set().union(*(cells[k].stubs for k in keys))) if keys else 0

    hidden, total_hidden = suppress_line({k: cell.people for k, cell in cells.items()}, union=union)
    for cell_key in hidden:
        cells[cell_key].hidden = True
    total.hidden = total_hidden
    ordered = sorted(cells.values(), key=order or (lambda cell: (-cell.redemptions, cell.label)))
    return Breakdown(slug=slug, cells=ordered, total=total)


@dataclass(frozen=True)
class Funnel:
    issued: int | None
    activated: int | None
    redeemed: int | None  # distinct stubs with a redemption that stands

    @property
    def conversion(self) -> float | None:
        """Redeemed stubs per stub issued."""
        if self.issued in (None, 0) or self.redeemed is None:
            return None
        return self.redeemed / self.issued


def funnel(issued: int, activated: int, redeemed: int) -> Funnel:
    """Stub counts, each hidden when it describes 1 to 9 people. Each count contains the next, so
    differences (issued minus activated: stubs never activated) are also people: a difference of 1
    to 9 hides the smaller count of the two."""
    shown = {"issued": issued, "activated": activated, "redeemed": redeemed}
    hide = {name for name, value in shown.items() if primary(value)}
    for bigger, smaller in (("issued", "activated"), ("activated", "redeemed")):
        if primary(shown[bigger] - shown[smaller]):
            hide.add(smaller)
    return Funnel(**{name: None if name in hide else value for name, value in shown.items()})


@dataclass(frozen=True)
class Share:
    out_of_town: int | None
    local: int | None
    unknown: int | None

    @property
    def percent(self) -> float | None:
        """Out-of-town visitors per visitor of known origin, in percent."""
        if self.out_of_town is None or self.local is None or not (self.out_of_town + self.local):
            return None
        return 100 * self.out_of_town / (self.out_of_town + self.local)


def out_of_town_share(rows: Sequence[RedemptionRow]) -> Share:
    """Distinct stubs from outside the host city's prefecture, from inside, and of unknown origin
    (no verified document: never guessed), suppressed as one line."""
    groups: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        outside = is_out_of_town(row.area_code, row.host_key)
        groups["unknown" if outside is None else ("out" if outside else "local")].add(row.stub_id)
    counts = {name: len(groups[name]) for name in ("out", "local", "unknown")}
    hidden, _total = suppress_line(counts, union=lambda keys: len(set().union(*(groups[k] for k in keys))))
    value = {name: None if name in hidden else counts[name] for name in counts}
    return Share(out_of_town=value["out"], local=value["local"], unknown=value["unknown"])


@dataclass(frozen=True)
class Leverage:
    subsidy_fen: int | None
    unlocked_fen: int | None  # bills (before discount) of the redemptions of subsidised offers

    @property
    def ratio(self) -> float | None:
        if not self.subsidy_fen or self.unlocked_fen is None:
            return None
        return self.unlocked_fen / self.subsidy_fen


def leverage(rows: Sequence[RedemptionRow]) -> Leverage:
    subsidised = [row for row in rows if row.subsidy_fen]
    people = len({row.stub_id for row in subsidised})
    if primary(people):
        return Leverage(None, None)
    return Leverage(sum(row.subsidy_fen for row in subsidised), sum(row.bill_fen for row in subsidised))


def top_merchants(
    rows: Sequence[RedemptionRow], linked: Sequence[Breakdown], limit: int = TOP_MERCHANTS
) -> list[Cell]:
    """The merchants with the most redemptions, each describing 10 people or more. A merchant lies
    inside a category and a host city whose totals are published too: if the listed merchants of one
    such group leave 1 to 9 people unlisted, the group's smallest listed merchant is dropped (else its
    total minus the listed ones would describe them), until no group leaves so few."""
    merchants = breakdown("merchant", rows, lambda row: (row.merchant_id, row.merchant_label)).cells
    listed = [cell for cell in merchants if cell.people >= THRESHOLD]
    groups_of: dict[int, list[tuple[str, Hashable]]] = defaultdict(list)
    members: dict[tuple[str, Hashable], dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        for group in (("category", row.category_key), ("host", row.host_key)):
            members[group][row.merchant_id].add(row.stub_id)
            if group not in groups_of[row.merchant_id]:
                groups_of[row.merchant_id].append(group)
    hidden_groups = {(part.slug, cell.key) for part in linked for cell in part.cells if cell.hidden}
    changed = True
    while changed:
        changed = False
        listed_ids = {cell.key for cell in listed}
        for group, by_merchant in members.items():
            if group in hidden_groups:
                continue
            unlisted = set().union(
                *(stubs for merchant, stubs in by_merchant.items() if merchant not in listed_ids)
            )
            if primary(len(unlisted)):
                in_group = [cell for cell in listed if cell.key in by_merchant]
                if in_group:
                    listed.remove(min(in_group, key=lambda cell: (cell.redemptions, cell.label)))
                    changed = True
                    break
    return listed[:limit]


@dataclass
class CityReport:
    funnel: Funnel
    share: Share
    leverage: Leverage
    by_origin: Breakdown
    by_host: Breakdown
    by_category: Breakdown
    by_day: Breakdown
    top: list[Cell]
    days: tuple[dt.date, ...] = ()


def city_report(
    rows: Sequence[RedemptionRow], *, issued: int, activated: int, days: Sequence[dt.date] = ()
) -> CityReport:
    """Every figure of the report from the redemptions that stand and the stub counts."""
    by_origin = breakdown("origin", rows, lambda row: ((key := origin_key(row.area_code)), origin_label(key)))
    by_host = breakdown("host", rows, lambda row: (row.host_key, row.host_label))
    by_category = breakdown("category", rows, lambda row: (row.category_key, row.category_label))
    by_day = breakdown("day", rows, lambda row: (row.day, row.day.isoformat()), order=lambda cell: cell.key)
    return CityReport(
        funnel=funnel(issued, activated, len({row.stub_id for row in rows})),
        share=out_of_town_share(rows),
        leverage=leverage(rows),
        by_origin=by_origin,
        by_host=by_host,
        by_category=by_category,
        by_day=by_day,
        top=top_merchants(rows, [by_category, by_host]),
        days=tuple(days),
    )
