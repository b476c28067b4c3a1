"""Progression tables for dragon-boat racing: which rounds, how many races, who goes where, each with
the published source it was taken from.

Stored as data so an organiser's or a federation's table can replace them without code. A round lists
its races and where its crews go: `to` a later round by finishing `places` in each race (1-based,
inclusive), then `fastest` more by time, chosen among every crew not yet sent or, when
`fastest_place` is set, only among the crews that finished in that place ("the faster of the two
eighth-placed crews", "the best second place"). Crews not sent anywhere are out. Qualifiers of a round
are ranked direct qualifiers first (by place, then time), then those who came through a later round,
and the best gets the centre lane (`lanes.lanes_from_centre`).

Where the tables come from. The rulebooks themselves (IDBF Members Handbook Part C "Competition
Regulations", ICF Canoe Sprint and ICF Dragon Boat Competition Rules, the Chinese Dragon Boat
Association's 《龙舟竞赛规则》 2020) could not be read in full from any public copy reachable while
this was written; only their title pages are public. Each table therefore names what it was checked
against, with one of three statuses:

- `VERIFIED`: the races per round and the qualifiers by place and by time equal those of a published
  competition format (an official page or an event's published regulations) for the crew counts it
  names in `checked`; tests/events/competition/dragonboat/test_tables.py replays those counts.
- `CROSS_CHECKED`: matches a secondary account (a broadcaster's or a newspaper's description of the
  official format), not the rulebook itself.
- `CORRIDOR`: Corridor's own table in the same shape, for counts no reachable source covered; check it
  against the regulation in force before a championship.

Every table is also checked for coherence: no race has more crews than lanes, every crew of a round is
sent somewhere or eliminated, each final is filled to at most its lanes.
"""

from __future__ import annotations

from dataclasses import dataclass

VERIFIED = "verified"
CROSS_CHECKED = "cross-checked"
CORRIDOR = "corridor"


@dataclass(frozen=True)
class Source:
    document: str  # the published document, in its own language
    status: str  # VERIFIED, CROSS_CHECKED or CORRIDOR
    edition: str = ""  # edition, year or event
    article: str = ""  # article, section or table within it
    url: str = ""  # a public copy, when there is one
    checked: tuple[int, ...] = ()  # the crew counts the source states outright
    note: str = ""  # where Corridor's table departs from or extends the source

    def citation(self) -> str:
        """One line naming the source and how far the table was checked against it."""
        where = ", ".join(p for p in (self.edition, self.article) if p)
        doc = f"{self.document} ({where})" if where else self.document
        if self.status == CORRIDOR:
            head = f"Corridor's table, in the shape of {doc}"
        else:
            counts = ", ".join(map(str, self.checked))
            head = f"{self.status.capitalize()} against {doc}" + (f" for {counts} crews" if counts else "")
        parts = [head, self.url, self.note]
        return "; ".join(p for p in parts if p)


@dataclass(frozen=True)
class Advance:
    to: str
    places: tuple[int, int] = (0, 0)  # (first, last) finishing places in each race; (0, 0) for none
    fastest: int = 0  # then this many more by time among the crews not yet sent...
    fastest_place: int = 0  # ...only among those that finished in this place (0: any place)


@dataclass(frozen=True)
class Round:
    name: str  # "heat", "repechage", "semi", "final", "minor_final"
    races: int
    advance: tuple[Advance, ...] = ()


@dataclass(frozen=True)
class Progression:
    lanes: int
    crews: tuple[int, int]  # inclusive range of crews the table is for
    rounds: tuple[Round, ...]
    source: Source


# The sources. Rulebooks that could not be read are named in CORRIDOR's note.
RULEBOOKS = (
    "IDBF Members Handbook Part C, Competition Regulations (Edition 6, 2013); ICF Canoe Sprint "
    "Competition Rules (2019), system of progression; 中国龙舟协会《龙舟竞赛规则》(2020)"
)
CORRIDOR_OWN = Source(RULEBOOKS, CORRIDOR, note="no public text of these tables was reachable")
SINGLE_FINAL = Source(
    "NBC Olympics, Canoe/Kayak 101: Competition format (the ICF canoe sprint progression on nine lanes)",
    CROSS_CHECKED,
    edition="Rio 2016",
    article="Semifinals and Finals: one final of nine or fewer boats",
    url="https://github.com/AlJohri/olympic-rules/blob/master/rules/canoe-kayak/competition-format.md",
    note="applied to every course: all crews race one final when each has a lane",
)
ICF_NINE_LANES = Source(
    "NBC Olympics, Canoe/Kayak 101: Competition format (the ICF canoe sprint progression on nine lanes)",
    CROSS_CHECKED,
    edition="Rio 2016",
    article="Heats: 10 to 18 entries",
    url="https://github.com/AlJohri/olympic-rules/blob/master/rules/canoe-kayak/competition-format.md",
    checked=tuple(range(10, 19)),
    note="semi-final 1st-3rd to the final fills its nine lanes (6 from the heats + 3)",
)
ICF_LONDON_2012 = Source(
    "ICF, London 2012 Canoe Sprint: Competition Format and Rules & Regulations (eight lanes)",
    VERIFIED,
    edition="London 2012",
    article="Olympic Competition Format, 9-10 boats",
    url="http://www.canoeicf.com/icf/London2012/Canoe-Sprint-Section/Competition-Formats-Rules-and-Regulations.html",
    checked=(9, 10),
)
HONG_KONG_2009 = Source(
    "2009 Hong Kong International Dragon Boat Regatta, race programme v2, Open Championship (19 crews)",
    VERIFIED,
    edition="2009",
    article="Notes; lane allocation of the repechages and the final",
    url="https://docsplayer.com/amp/96664608-Idbr-2009-race-programme-v2-xls.html",
    checked=(19,),
    note=(
        "the programme calls the second round repechages; from 22 crews only 2nd-7th go on (Corridor's), "
        "and the final's outside lanes go by time where the programme fixes them by repechage"
    ),
)
GUANGZHOU_2012 = Source(
    "广州市体育局《关于2012年广州国际龙舟邀请赛竞赛规程的补充通知》(穗体群〔2012〕37号)",
    VERIFIED,
    edition="2012",
    article="三、竞赛办法（一）标准龙男子组：6航道，预赛3组",
    url="https://gd.pkulaw.com/gdchinalaw/9d2e3bd79e003119a7b5bc7499023dcebdfb.html",
    checked=(18,),
    note="heats 1st-4th to two semi-finals; semi-finals 1st-3rd to the final (1-6), 4th-6th to the 7-12 race",
)
ZHANGZHOU_2011 = Source(
    "2011中华龙舟大赛漳州站 (China Dragon Boat Association), race format as reported by chinataiwan.cn",
    CROSS_CHECKED,
    edition="2011-12-17",
    article="16支参赛队分为4组……复赛分为3组，每组的第一名和成绩最好的第二名晋级准决赛",
    url="http://big5.taiwan.cn/gate/big5/www.chinataiwan.cn/jl/tp/201112/t20111219_2217845.htm",
    checked=(16,),
    note="the semi-finals to final and minor final split is Corridor's (not reported)",
)
TAIYUAN_2025 = Source(
    "2025太原汾河龙舟公开赛竞赛办法 (under 中国龙舟协会《龙舟竞赛规则》2020), 大众组, 4 lanes",
    VERIFIED,
    edition="2025",
    article="（五）比赛方法：预赛1-4名决赛，5-8名小决赛",
    url="http://yuanli5.com/202505/24750.html",
    checked=(8,),
)


def _final_only(lanes: int) -> Progression:
    return Progression(lanes, (2, lanes), (Round("final", 1),), SINGLE_FINAL)


TABLES: tuple[Progression, ...] = (
    # Four lanes.
    _final_only(4),
    Progression(4, (5, 6), (
        Round("heat", 2, (Advance("final", (1, 1)), Advance("repechage", (2, 4)))),
        Round("repechage", 1, (Advance("final", (1, 2)),)),
        Round("final", 1),
    ), CORRIDOR_OWN),
    Progression(4, (7, 8), (
        Round("heat", 2, (Advance("final", fastest=4), Advance("minor_final", fastest=4))),
        Round("minor_final", 1),
        Round("final", 1),
    ), TAIYUAN_2025),
    Progression(4, (9, 12), (
        Round("heat", 4, (Advance("semi", (1, 2)),)),
        Round("semi", 2, (Advance("final", (1, 2)), Advance("minor_final", (3, 4)))),
        Round("minor_final", 1),
        Round("final", 1),
    ), CORRIDOR_OWN),
    Progression(4, (13, 16), (
        Round("heat", 4, (Advance("semi", (1, 1)), Advance("repechage", (2, 4)))),
        Round("repechage", 3, (Advance("semi", (1, 1), fastest=1, fastest_place=2),)),
        Round("semi", 2, (Advance("final", (1, 2)), Advance("minor_final", (3, 4)))),
        Round("minor_final", 1),
        Round("final", 1),
    ), ZHANGZHOU_2011),
    # Six lanes.
    _final_only(6),
    Progression(6, (7, 12), (
        Round("heat", 2, (Advance("final", (1, 1)), Advance("repechage", (2, 6)))),
        Round("repechage", 2, (Advance("final", (1, 2)),)),
        Round("final", 1),
    ), CORRIDOR_OWN),
    Progression(6, (13, 18), (
        Round("heat", 3, (Advance("semi", (1, 4)),)),
        Round("semi", 2, (Advance("final", (1, 3)), Advance("minor_final", (4, 6)))),
        Round("minor_final", 1),
        Round("final", 1),
    ), GUANGZHOU_2012),
    Progression(6, (19, 24), (
        Round("heat", 4, (Advance("semi", (1, 3)),)),
        Round("semi", 2, (Advance("final", (1, 3)), Advance("minor_final", (4, 6)))),
        Round("minor_final", 1),
        Round("final", 1),
    ), CORRIDOR_OWN),
    Progression(6, (25, 36), (
        Round("heat", 6, (Advance("semi", (1, 2)),)),
        Round("semi", 2, (Advance("final", (1, 3)), Advance("minor_final", (4, 6)))),
        Round("minor_final", 1),
        Round("final", 1),
    ), CORRIDOR_OWN),
    # Eight lanes (ICF canoe sprint courses since 2012).
    _final_only(8),
    Progression(8, (9, 10), (
        Round("heat", 2, (Advance("final", (1, 1)), Advance("semi", (2, 9)))),
        Round("semi", 1, (Advance("final", (1, 6)),)),
        Round("final", 1),
    ), ICF_LONDON_2012),
    # Nine lanes.
    _final_only(9),
    Progression(9, (10, 18), (
        Round("heat", 2, (Advance("final", (1, 3)), Advance("semi", (4, 7), fastest=1, fastest_place=8))),
        Round("semi", 1, (Advance("final", (1, 3)),)),
        Round("final", 1),
    ), ICF_NINE_LANES),
    Progression(9, (19, 27), (
        Round("heat", 3, (Advance("final", (1, 1)), Advance("semi", (2, 7)))),
        Round("semi", 2, (Advance("final", (1, 3)),)),
        Round("final", 1),
    ), HONG_KONG_2009),
)  # fmt: skip
