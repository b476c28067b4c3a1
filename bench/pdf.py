"""Ticket PDFs rendered per second on one core (pretix: 12–16 per second on this kind of machine).

Renders single-ticket A4 PDFs (raster QR, the embedded Noto Sans SC subset for Chinese, Noto Sans with
Noto Sans SC for the holder's name in English) for a fixed time in this process, with no database:
the cards carry freshly signed codes. Also reports a 10-ticket order.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid


def cards_for(count: int, *, english: bool = False):
    """`count` ticket cards with freshly signed codes and fixed Chinese (or English) text (no database)."""
    from ticketing.rendering.pdf import CredentialCard
    from ticketing.signing import encode_credential

    start = dt.datetime(2027, 4, 10, 0, 30, tzinfo=dt.UTC)
    cards = []
    for index in range(count):
        code = encode_credential(
            public_id=uuid.uuid4(),
            kind="ticket",
            event_id=1,
            session_id=index + 1,
            valid_from=start,
            valid_until=start + dt.timedelta(hours=4),
        )
        if english:
            text = {
                "title": "Corridor Youth Fencing Invitational U12 Men's Foil",
                "subtitle": "Pools",
                "kind_label": "Ticket · Adult",
                "holder": "Holder: 王*明 (····002X)",
                "gate": "Gate A",
                "lines": (
                    "When: 2027-04-10 08:30–11:30",
                    "Venue: Putuo Sports Centre, fencing hall",
                    "Address: 1111 Tongchuan Road, Putuo District, Shanghai",
                    f"Order C{index:07d}",
                ),
            }
        else:
            text = {
                "title": "沪宁沿线青少年击剑邀请赛 U12 男子花剑",
                "subtitle": "小组赛",
                "kind_label": "门票 · 成人票",
                "holder": "持票人：王*明 (····002X)",
                "gate": "入口A",
                "lines": (
                    "时间：2027-04-10 08:30–11:30",
                    "场馆：普陀区体育中心击剑馆",
                    "地址：上海市普陀区铜川路1111号",
                    f"订单 C{index:07d}",
                ),
            }
        cards.append(
            CredentialCard(
                code=code,
                price="¥80.00",
                number=f"C{index:07d}-{index + 1}",
                footer=str(uuid.uuid4()),
                **text,
            )
        )
    return cards


def _rate(render, seconds: float) -> tuple[float, float, float]:
    """Renders per second (wall clock), and the median wall and CPU milliseconds of one render: on a
    shared machine the CPU time is the steadier figure."""
    render()  # warm-up: font registration and imports happen once per process
    count, started = 0, time.perf_counter()
    timings, cpu = [], []
    while time.perf_counter() - started < seconds:
        one, one_cpu = time.perf_counter(), time.process_time()
        render()
        timings.append(time.perf_counter() - one)
        cpu.append(time.process_time() - one_cpu)
        count += 1
    elapsed = time.perf_counter() - started
    timings.sort()
    cpu.sort()
    return count / elapsed, timings[len(timings) // 2] * 1000, cpu[len(cpu) // 2] * 1000


def main(seconds: float = 8.0) -> list[dict]:
    from django.utils import translation

    from ticketing.rendering.pdf import render_credential_cards

    cards = cards_for(200)
    position = {"i": 0}

    def one_ticket():
        card = cards[position["i"] % len(cards)]
        position["i"] += 1
        return render_credential_cards([card], "ticket-a4")

    with translation.override("zh-hans"):
        per_second, median_ms, cpu_ms = _rate(one_ticket, seconds)
        order_rate, order_ms, order_cpu_ms = _rate(
            lambda: render_credential_cards(cards[:10], "ticket-a4"), seconds / 2
        )
    english = cards_for(1, english=True)
    with translation.override("en"):
        en_rate, en_ms, en_cpu_ms = _rate(lambda: render_credential_cards(english, "ticket-a4"), seconds / 2)
    return [
        {
            "benchmark": "ticket PDF, one ticket (one core)",
            "value": f"{per_second:.1f}",
            "unit": "PDFs/s",
            "note": f"median {median_ms:.1f} ms ({cpu_ms:.1f} ms CPU); pretix 12–16/s (64–86 ms) here",
        },
        {
            "benchmark": "ticket PDF, order of 10 tickets",
            "value": f"{order_rate * 10:.1f}",
            "unit": "tickets/s",
            "note": f"median {order_ms:.0f} ms ({order_cpu_ms:.0f} ms CPU) per 10-page PDF",
        },
        {
            "benchmark": "ticket PDF, one ticket in English (one core)",
            "value": f"{en_rate:.1f}",
            "unit": "PDFs/s",
            "note": f"median {en_ms:.1f} ms ({en_cpu_ms:.1f} ms CPU); Noto Sans with Noto Sans SC for the holder's name",
        },
    ]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    for row in main():
        print(row)
