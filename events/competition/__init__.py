"""Competition formats: the draws and results of each sport, in pure Python.

No model, database or other app is imported here (an import-linter contract checks it); callers pass
typed dataclasses in and get dataclasses out, always the same answer for the same input. Refusals
are `errors.DrawError` / `errors.ResultError`, carrying a `code`, the `reason` and the `fix` in the
active language (`message_in("en")` / `message_in("zh-hans")` for either).

Fencing, `events.competition.fencing`
    pools.pool_sizes(count, *, max_size=7, pools=None) -> list[int]
    pools.serpentine(fencers, sizes) -> list[list[Fencer]]
    pools.separate(pools, levels=("club", "city")) -> list[list[Fencer]]
    pools.pools_draw(fencers, *, max_size=7, pools=None, levels=..., strict=False) -> PoolDraw
    bout_orders.bout_order_for(entries, teams=None) -> BoutOrder        (official tables, 4 to 9)
    ranking.bout_check(bout, *, touches=5)                              (ResultError if impossible)
    ranking.pool_ranking(fencers, bouts, *, withdrawn=(), excluded=(), touches=5) -> list[Standing]
    ranking.pool_cut(ranking, *, qualify=None, percent=None) -> list[Standing]
    tableau.placement(size) -> list[int]
    tableau.tableau_draw(qualifiers, *, touches=15) -> Tableau
    tableau.tableau_bouts(tableau) -> list[DEBout]
    tableau.tableau_record(tableau, *, table, index, top_score, bottom_score, winner=None) -> Tableau
    tableau.final_classification(tableau, not_qualified=()) -> list[tuple[int, str]]
    team.relay_order() -> list[Relay]
    team.team_match_check(result) -> "a" | "b"
    team.lineup_check(order, members) -> tuple[str, ...]               (three different fencers of the team)

Round robins, brackets, standings
    roundrobin.berger_table(n) -> list[list[tuple[int, int]]]          (FIDE Berger tables)
    roundrobin.round_robin(entries, *, cycles=1) -> list[Pairing]      (byes for odd counts)
    brackets.single_elimination(seeds, *, places=2) -> list[Match]     (4: third place, n: every place)
    brackets.groups_draw(seeds, groups) -> dict[str, list[str]]
    brackets.crossover(groups, *, places=2) -> list[Match]             (A1 v B2, B1 v A2 ...)
    standings.game_check(game, rules)                                  (a basketball draw is refused)
    standings.standings(teams, games, rules=FIBA) -> list[Row]         (FIBA, FIFA, UEFA, ITTF)

Dragon boat, `events.competition.dragonboat`
    tables.TABLES                      (progressions by crews and lanes, 4/6/8/9; each with its Source)
    progression.progression_for(crews, lanes, tables=TABLES) -> Progression
    progression.round_draw(progression, round_name, ranked) -> list[Race]
    progression.progression_run(progression, seeds, finishes=()) -> list[Race]   (every race drawable now)
    progression.qualifiers(round, races, finishes) -> dict[str, list[str]]
    progression.time_check(time_ms, *, course_record_ms)               (faster than half the record refused)
    progression.combined_ranking(times, *, runs) -> list[tuple[int, str, int | None]]
    lanes.lanes_from_centre(lanes) -> list[int];  lanes.start_times(first, races, *, interval)
    race_order.race_order_check(races, rosters) -> list[BackToBack]
    race_order.race_order_adjust(races, rosters, *, rank=None) -> list[Race]
"""
