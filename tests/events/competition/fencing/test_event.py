"""A whole individual event through the public functions: draw, pool results, cut, tableau, classification;
and a team event's tableau fought to 45."""

import random

from events.competition.fencing.pools import Fencer, pools_draw
from events.competition.fencing.ranking import PoolBout, pool_cut, pool_ranking
from events.competition.fencing.tableau import (
    final_classification,
    tableau_bouts,
    tableau_draw,
    tableau_record,
)


def test_thirty_fencers_from_draw_to_final_classification():
    rng = random.Random(11)
    fencers = [Fencer(f"f{i}", i, club=f"club{i % 7}", city=f"city{i % 3}") for i in range(1, 31)]
    draw = pools_draw(fencers)
    assert [len(p.fencers) for p in draw.pools] == [6, 6, 6, 6, 6]
    bouts = []
    for pool in draw.pools:
        for left, right in pool.order.bouts:
            better = left if int(left[1:]) < int(right[1:]) else right
            loser_score = rng.randrange(5)
            bouts.append(
                PoolBout(
                    left, right, 5 if better == left else loser_score, 5 if better == right else loser_score
                )
            )
    ranking = pool_ranking([f.key for f in fencers], bouts, excluded=["f30"])
    assert len(ranking) == 29
    qualified = pool_cut(ranking, qualify=24)
    tableau = tableau_draw([s.key for s in qualified])
    assert tableau.size == 32
    seed = {k: i for i, k in enumerate(tableau.seeds)}
    while ready := [b for b in tableau_bouts(tableau) if b.winner is None and b.top and b.bottom]:
        for b in ready:
            top_wins = seed[b.top] < seed[b.bottom]
            tableau = tableau_record(
                tableau,
                table=b.table,
                index=b.index,
                top_score=15 if top_wins else 9,
                bottom_score=9 if top_wins else 15,
            )
    places = final_classification(tableau, ranking[len(qualified) :])
    assert [p for p, _k in places[:4]] == [1, 2, 3, 3]
    assert places[0][1] == tableau.seeds[0]
    assert len(places) == 29 and {k for _p, k in places} == {s.key for s in ranking}


def test_team_tableau_is_fought_to_45():
    tableau = tableau_draw(["CHN", "FRA", "ITA", "KOR"], touches=45)
    tableau = tableau_record(tableau, table=4, index=0, top_score=45, bottom_score=38)
    first = next(b for b in tableau_bouts(tableau) if b.table == 4 and b.index == 0)
    assert (first.top, first.winner, first.top_score) == ("CHN", "CHN", 45)
