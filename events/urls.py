from django.urls import path

from events.views import catalogue as views
from events.views import competition as views_competition
from events.views import results as views_results
from events.views import schedule as views_schedule
from events.views import schedule_public as views_schedule_public
from events.views import schedule_rules as views_schedule_rules

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("events/<slug:slug>/pools/", views_competition.pools_public, name="competition-pools"),
    path("events/<slug:slug>/tableau/", views_competition.tableau_public, name="competition-tableau"),
    path("events/<slug:slug>/pools.pdf", views_competition.pools_pdf, name="competition-pools-pdf"),
    path("events/<slug:slug>/tableau.pdf", views_competition.tableau_pdf, name="competition-tableau-pdf"),
    path(
        "events/<slug:slug>/start-list.pdf",
        views_competition.start_list_pdf,
        name="competition-start-list-pdf",
    ),
    path("events/<slug:slug>/standings.pdf", views_competition.standings_pdf, name="results-standings-pdf"),
    path("events/<slug:slug>/bracket.pdf", views_competition.bracket_pdf, name="results-bracket-pdf"),
    path("events/<slug:slug>/standings/", views_results.standings_public, name="results-standings"),
    path("events/<slug:slug>/bracket/", views_results.bracket_public, name="results-bracket"),
    path("events/<slug:slug>/races/", views_results.races_public, name="results-races"),
    path("seasons/<slug:slug>/medals/", views_results.medals_public, name="results-medals"),
    path("referee/<str:token>/", views_results.referee_page, name="referee"),
    path(
        "organiser/competition/events/<slug:slug>/referee-links/revoke/",
        views_results.referee_revoke,
        name="referee-revoke",
    ),
    path("venues/<slug:slug>/", views.venue_detail, name="venue-detail"),
    path("organiser/", views.organiser_home, name="organiser-home"),
    path(
        "organiser/competition/events/<slug:slug>/",
        views_competition.organiser_competition,
        name="organiser-competition",
    ),
    path(
        "organiser/competition/events/<slug:slug>/competitors/",
        views_competition.organiser_competitors_refresh,
        name="organiser-competitors-refresh",
    ),
    path(
        "organiser/competition/events/<slug:slug>/pools/",
        views_competition.organiser_pools_generate,
        name="organiser-pools-generate",
    ),
    path(
        "organiser/competition/events/<slug:slug>/tableau/",
        views_competition.organiser_tableau_generate,
        name="organiser-tableau-generate",
    ),
    path(
        "organiser/competition/events/<slug:slug>/games/",
        views_competition.organiser_games_generate,
        name="organiser-games-generate",
    ),
    path(
        "organiser/competition/events/<slug:slug>/races/",
        views_competition.organiser_races_generate,
        name="organiser-races-generate",
    ),
    path(
        "organiser/competition/events/<slug:slug>/team/",
        views_competition.organiser_team_generate,
        name="organiser-team-generate",
    ),
    path(
        "organiser/competition/matches/<int:pk>/relays/",
        views_competition.organiser_relays,
        name="organiser-relays",
    ),
    path(
        "organiser/competition/matches/<int:pk>/relays.pdf",
        views_competition.organiser_relays_pdf,
        name="organiser-relays-pdf",
    ),
    path(
        "organiser/competition/matches/<int:pk>/lineup/",
        views_competition.organiser_lineup,
        name="organiser-lineup",
    ),
    path(
        "organiser/competition/matches/<int:pk>/result/",
        views_competition.organiser_result,
        name="organiser-result",
    ),
    # the published schedule, for everyone
    path("events/<slug:slug>/schedule/", views_schedule_public.event_schedule, name="event-schedule"),
    path("venues/<slug:slug>/schedule/", views_schedule_public.venue_schedule, name="venue-schedule"),
    path("venues/<slug:slug>/schedule.ics", views_schedule_public.venue_ical, name="venue-ical"),
    path("cities/<slug:slug>/schedule/", views_schedule_public.city_schedule, name="city-schedule"),
    path(
        "programmes/<slug:slug>/delegations/<str:club>/schedule/",
        views_schedule_public.delegation_schedule,
        name="delegation-schedule",
    ),
    path(
        "programmes/<slug:slug>/delegations/<str:club>/schedule.ics",
        views_schedule_public.delegation_ical,
        name="delegation-ical",
    ),
    path(
        "competitors/<int:pk>/schedule/",
        views_schedule_public.competitor_schedule,
        name="competitor-schedule",
    ),
    path("competitors/<int:pk>/schedule.ics", views_schedule_public.competitor_ical, name="competitor-ical"),
    path(
        "programmes/<slug:slug>/schedule/<str:day>/pdf/",
        views_schedule_public.day_pdf,
        name="schedule-day-pdf",
    ),
    # the organiser's schedule
    path("organiser/schedule/<slug:slug>/", views_schedule.grid, name="schedule-grid"),
    path("organiser/schedule/<slug:slug>/move/", views_schedule.move, name="schedule-move"),
    path("organiser/schedule/<slug:slug>/solve/", views_schedule.solve, name="schedule-solve"),
    path("organiser/schedule/<slug:slug>/jobs/<int:pk>/", views_schedule.job, name="schedule-job"),
    path(
        "organiser/schedule/<slug:slug>/jobs/<int:pk>/status/",
        views_schedule.job_status,
        name="schedule-job-status",
    ),
    path("organiser/schedule/<slug:slug>/publish/", views_schedule.publish, name="schedule-publish"),
    path("organiser/schedule/<slug:slug>/versions/", views_schedule.versions, name="schedule-versions"),
    path("organiser/schedule/<slug:slug>/diff/", views_schedule.diff, name="schedule-diff"),
    path("organiser/schedule/<slug:slug>/delay/", views_schedule.delay, name="schedule-delay"),
    path("organiser/schedule/<slug:slug>/plans/", views_schedule.plan_create, name="schedule-plan-create"),
    path("organiser/schedule/<slug:slug>/travel/", views_schedule_rules.travel, name="schedule-travel"),
    path(
        "organiser/schedule/<slug:slug>/age-bands/",
        views_schedule_rules.age_bands,
        name="schedule-age-bands",
    ),
    path(
        "organiser/schedule/<slug:slug>/age-bands/<int:pk>/",
        views_schedule_rules.age_band_edit,
        name="schedule-age-band-edit",
    ),
    path(
        "organiser/schedule/<slug:slug>/age-bands/<int:pk>/delete/",
        views_schedule_rules.age_band_delete,
        name="schedule-age-band-delete",
    ),
    path(
        "organiser/schedule/<slug:slug>/plans/<int:pk>/switch/",
        views_schedule.plan_switch,
        name="schedule-plan-switch",
    ),
]
