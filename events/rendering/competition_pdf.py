"""Competition PDFs in the active language, set in the embedded fonts of `events.rendering.fonts`: the
pool sheets with the order of bouts (for the referee's table), the tableau, the start list, the
round-robin standings (with the tie-breakers each place was decided by), the knockout bracket and a
fencing team match's relay sheet. Athletes appear by name and delegation only. The callers pass what the selectors derived.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.rendering.fonts import draw_line, fonts, primary_font, text_width

MM = 72 / 25.4


def _fit(text: str, *, width: float, size: float, primary: str) -> str:
    if text_width(text, size=size, primary=primary) <= width:
        return text
    while text and text_width(text + "…", size=size, primary=primary) > width:
        text = text[:-1]
    return text + "…"


class _Writer:
    """A4 pages with the title on each, and a cursor that turns the page when the next block will not fit."""

    def __init__(self, title: str, note: str = ""):
        from reportlab.lib.pagesizes import A4  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
        from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

        fonts()
        self.primary = primary_font()
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, pageCompression=1, initialFontName=self.primary)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("Corridor")
        self.width, self.height = A4
        self.margin = 15 * MM
        self.title, self.note = title, note
        self._top()

    def _top(self) -> None:
        self.y = self.height - self.margin - 12
        draw_line(self.canvas, self.margin, self.y, self.title, size=14, primary=self.primary)
        if self.note:
            self.y -= 16
            draw_line(self.canvas, self.margin, self.y, self.note, size=9, primary=self.primary)
        self.y -= 24

    def need(self, height: float) -> None:
        if self.y - height < self.margin:
            self.canvas.showPage()
            self._top()

    def text(
        self, x: float, text: str, *, size: float = 9, width: float | None = None, anchor: str = "left"
    ) -> None:
        if width is not None:
            text = _fit(text, width=width, size=size, primary=self.primary)
        draw_line(self.canvas, self.margin + x, self.y, text, size=size, primary=self.primary, anchor=anchor)

    def heading(self, text: str) -> None:
        self.need(40)
        self.text(0, text, size=12)
        self.y -= 18

    def rule(self) -> None:
        self.canvas.line(self.margin, self.y + 9, self.width - self.margin, self.y + 9)

    def done(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _who(competitor) -> str:
    if competitor is None:
        return ""
    return f"{competitor.display_name} · {competitor.club}" if competitor.club else competitor.display_name


def pool_sheets_pdf(sheets: Sequence, *, title: str, note: str = "") -> bytes:
    """Every pool: the matrix (V or D with touches scored, as far as fenced), V, indicator, place; then
    the bouts in the official order with both fencers' positions and names."""
    w = _Writer(title, note)
    name_width = 62 * MM
    for sheet in sheets:
        rows = len(sheet.rows)
        w.heading(_("Pool %(number)s") % {"number": sheet.number})
        w.need(14 * (rows + 2))
        cell = min(9 * MM, (w.width - 2 * w.margin - name_width - 36 * MM) / max(rows, 1))
        w.text(0, "#", size=8)
        w.text(8 * MM, _("Fencer"), size=8)
        for i in range(rows):
            w.text(name_width + cell * i + cell / 2, str(i + 1), size=8, anchor="centre")
        extra = name_width + cell * rows + 3 * MM
        for offset, label in ((0, _("V")), (10 * MM, _("Ind.")), (22 * MM, _("Place"))):
            w.text(extra + offset, label, size=8)
        w.y -= 14
        w.rule()
        for row in sheet.rows:
            w.text(0, str(row.position))
            w.text(8 * MM, _who(row.competitor), width=name_width - 10 * MM)
            for i, mark in enumerate(c.mark if not c.own else "■" for c in row.cells):
                w.text(name_width + cell * i + cell / 2, mark, anchor="centre")
            s = row.standing
            if s and s.bouts:
                w.text(extra, str(s.victories))
                w.text(extra + 10 * MM, str(s.indicator))
                w.text(extra + 22 * MM, f"{s.place}{'=' if s.tied else ''}")
            w.y -= 14
        w.y -= 6
        w.need(20)
        w.text(0, _("Bouts in the official order") + f" ({sheet.table})", size=10)
        w.y -= 15
        position = {row.competitor.pk: row.position for row in sheet.rows}
        half = (w.width - 2 * w.margin) / 2
        for i, bout in enumerate(sheet.bouts):
            column = i % 2
            if column == 0:
                w.need(13)
            score = f"  {bout.left_score}–{bout.right_score}" if bout.has_result else ""
            line = (
                f"{bout.sequence}. {position.get(bout.left_id, '?')}–{position.get(bout.right_id, '?')}  "
                f"{bout.left.display_name if bout.left else ''} – {bout.right.display_name if bout.right else ''}{score}"
            )
            w.text(column * half, line, size=8.5, width=half - 4 * MM)
            if column == 1 or i == len(sheet.bouts) - 1:
                w.y -= 13
        w.y -= 12
    if not sheets:
        w.text(0, _("The pools have not been drawn yet."))
    return w.done()


def tableau_pdf(rounds: Sequence, *, title: str, note: str = "") -> bytes:
    """The tableau round by round: each bout's code, both fencers (or where they come from), scores."""
    w = _Writer(title, note)
    half = (w.width - 2 * w.margin) / 2
    for rnd in rounds:
        heading = (
            _("Final")
            if rnd.table == 2
            else _("Semi-finals")
            if rnd.table == 4
            else _("Table of %(table)s") % {"table": rnd.table}
        )
        w.heading(heading)
        for match in rnd.matches:
            w.need(13)
            left = _who(match.left) or (
                _("Winner of %(code)s") % {"code": match.left_source[7:]} if match.left_source else _("bye")
            )
            right = _who(match.right) or (
                _("Winner of %(code)s") % {"code": match.right_source[7:]} if match.right_source else _("bye")
            )
            w.text(0, match.code, size=8.5)
            w.text(16 * MM, left, size=8.5, width=half - 24 * MM)
            w.text(half - 6 * MM, "" if match.left_score is None else str(match.left_score), size=8.5)
            w.text(half + 2 * MM, right, size=8.5, width=half - 24 * MM)
            w.text(2 * half - 6 * MM, "" if match.right_score is None else str(match.right_score), size=8.5)
            w.y -= 13
        w.y -= 8
    if not rounds:
        w.text(0, _("The tableau has not been drawn yet: it follows the pools."))
    return w.done()


def start_list_pdf(rows: Sequence[tuple], *, title: str, note: str = "") -> bytes:
    """The start list: (seed, competitor, pool or "") per line, in seed order."""
    w = _Writer(title, note)
    columns = ((0, _("Seed")), (16 * MM, _("Name")), (90 * MM, _("Delegation")), (160 * MM, _("Pool")))
    for offset, label in columns:
        w.text(offset, label, size=9.5)
    w.y -= 14
    w.rule()
    for seed, competitor, pool in rows:
        w.need(13)
        w.text(0, str(seed))
        w.text(16 * MM, competitor.display_name, width=72 * MM)
        w.text(90 * MM, competitor.club, width=68 * MM)
        w.text(160 * MM, str(pool))
        w.y -= 13
    return w.done()


def _criterion_label(note: str) -> str:
    """A tie-break step as the standings record it ("head-to-head points", "overall diff"), in words."""
    scope, _sep, criterion = note.rpartition(" ")
    names = {
        "points": _("points"),
        "diff": _("difference"),
        "scored": _("scored"),
        "game_ratio": _("games ratio"),
        "point_ratio": _("points ratio"),
    }
    name = names.get(criterion, criterion)
    if scope == "head-to-head":
        return _("%(criterion)s between the tied") % {"criterion": name}
    return _("%(criterion)s in all games") % {"criterion": name}


def standings_pdf(tables: Sequence, *, title: str, note: str = "") -> bytes:
    """Each group's table (place, team, delegation, played, won, drawn, lost, for, against, points, and
    the tie-breakers that decided a place), then its games with their scores."""
    w = _Writer(title, note)
    numbers = (
        (70 * MM, _("P")),
        (78 * MM, _("W")),
        (86 * MM, _("D")),
        (94 * MM, _("L")),
        (102 * MM, _("For")),
        (114 * MM, _("Against")),
        (128 * MM, _("Points")),
    )
    for table in tables:
        w.heading(_("Group %(name)s") % {"name": table.name})
        w.need(14 * (len(table.rows) + 2))
        w.text(0, _("Place"), size=8)
        w.text(12 * MM, _("Team"), size=8)
        for offset, label in numbers:
            w.text(offset, label, size=8)
        w.text(142 * MM, _("Decided by"), size=8)
        w.y -= 14
        w.rule()
        for row, competitor in table.rows:
            w.need(13)
            if row.played:
                w.text(0, f"{row.place}{'=' if row.tied else ''}")
            w.text(12 * MM, _who(competitor), width=56 * MM)
            values = (row.played, row.won, row.drawn, row.lost, row.scored, row.conceded, row.points)
            for (offset, _label), value in zip(numbers, values, strict=True):
                w.text(offset, str(value))
            decided = "; ".join(_criterion_label(n) for n in row.decided_by)
            room = w.width - 2 * w.margin - 142 * MM
            if text_width(decided, size=7.5, primary=w.primary) <= room:
                w.text(142 * MM, decided, size=7.5)
            else:  # a long chain of tie-breakers goes on a line of its own under the team
                w.y -= 10
                w.text(12 * MM, decided, size=7.5, width=w.width - 2 * w.margin - 12 * MM)
            w.y -= 13
        w.y -= 6
        w.need(20)
        w.text(0, _("Games"), size=10)
        w.y -= 14
        for match in table.matches:
            w.need(12)
            score = f"{match.left_score}–{match.right_score}" if match.has_result else "–"
            left = match.left.display_name if match.left else ""
            right = match.right.display_name if match.right else ""
            line = _("Round %(round)s") % {"round": match.round} + f": {left}  {score}  {right}"
            w.text(0, line, size=8.5, width=w.width - 2 * w.margin)
            w.y -= 12
        w.y -= 10
    if not tables:
        w.text(0, _("There are no groups in this event yet."))
    return w.done()


def bracket_pdf(rounds: Sequence, *, title: str, note: str = "") -> bytes:
    """The knockout round by round (placement matches apart): each match's code, the places it decides,
    both sides (or where they come from), scores, and the winner marked."""
    w = _Writer(title, note)
    half = (w.width - 2 * w.margin) / 2
    for rnd in rounds:
        w.heading(rnd.title)
        for match in rnd.matches:
            w.need(13)
            places = match.detail.get("places")
            code = match.code
            if places and places[0] != 1:
                code += " · " + _("places %(best)s–%(worst)s") % {"best": places[0], "worst": places[1]}
            sides = []
            for competitor, label, score in (
                (match.left, getattr(match, "left_label", ""), match.left_score),
                (match.right, getattr(match, "right_label", ""), match.right_score),
            ):
                won = competitor is not None and match.winner_id == competitor.pk
                sides.append(((_who(competitor) or label) + (" ✓" if won else ""), score))
            w.text(0, code, size=8.5, width=30 * MM)
            w.y -= 11
            for column, (who, score) in enumerate(sides):
                x = column * half
                w.text(x + 4 * MM, who, size=8.5, width=half - 18 * MM)
                w.text(x + half - 12 * MM, "" if score is None else str(score), size=8.5)
            w.y -= 15
        w.y -= 6
    if not rounds:
        w.text(0, _("There is no knockout in this event yet."))
    return w.done()


def relay_sheet_pdf(match, rows: Sequence, names: dict[int, str], *, title: str, note: str = "") -> bytes:
    """A fencing team match's scoresheet for the piste: both teams with their fencers by position (as
    each team's order gives them), the nine relays in the FIE order with who meets whom, the target
    and the running scores (as recorded, else boxes to fill), then the signatures. `rows` and `names`
    are the selectors' (`relay_sheet`, `position_names`); a relay match, both teams loaded."""
    w = _Writer(title, note)
    recorded = match.detail.get("relays") or [[], []]
    half = (w.width - 2 * w.margin) / 2
    home, away = match.left.display_name, match.right.display_name
    w.heading(f"{match.code}  {_who(match.left)} – {_who(match.right)}")
    for column, team in enumerate((home, away)):
        w.text(column * half, team, size=10, width=half - 4 * MM)
    w.y -= 14
    for offset in range(3):
        w.need(13)
        for column, first in enumerate((1, 4)):
            position = first + offset
            name = names.get(position) or "________________"
            w.text(column * half, f"{position}.  {name}", size=9.5, width=half - 4 * MM)
        w.y -= 13
    w.y -= 10
    columns = (
        (0, _("Relay")),
        (16 * MM, _("Fencers")),
        (110 * MM, pgettext("relay", "Ends at")),
        (130 * MM, home),
        (155 * MM, away),
    )
    w.need(30)
    for offset, label in columns:
        w.text(offset, label, size=9, width=24 * MM if offset >= 130 * MM else None)
    w.y -= 14
    w.rule()
    w.y -= 8  # the boxes rise above the text's baseline: clear of the rule
    for index, row in enumerate(rows):
        w.need(20)
        relay = row.relay
        w.text(0, str(relay.number), size=10)
        fencers = f"{relay.a_fencer}–{relay.b_fencer}"
        if row.a_name or row.b_name:
            fencers += f"  {row.a_name or '?'} – {row.b_name or '?'}"
        w.text(16 * MM, fencers, size=9.5, width=92 * MM)
        w.text(110 * MM, str(relay.target), size=10)
        for offset, scores in ((130 * MM, recorded[0]), (155 * MM, recorded[1])):
            if index < len(scores):
                w.text(offset + 4 * MM, str(scores[index]), size=10)
            else:
                w.canvas.rect(w.margin + offset, w.y - 4, 14 * MM, 16)
        w.y -= 20
    w.y -= 16
    w.need(60)
    signatures = (
        _("Referee"),
        _("Captain, %(team)s") % {"team": home},
        _("Captain, %(team)s") % {"team": away},
    )
    third = (w.width - 2 * w.margin) / 3
    for column, label in enumerate(signatures):
        w.canvas.line(w.margin + column * third, w.y + 14, w.margin + (column + 1) * third - 6 * MM, w.y + 14)
        w.text(column * third, label, size=8.5, width=third - 8 * MM)
    return w.done()
