"""Schedules: placements (the draft), numbered versions, travel times, children's limits by age band,
contingency plans and solve jobs. A published version is never changed: a trigger refuses updates on
both supported databases (a CHECK cannot compare a row with its old self).
"""

import django.db.models.deletion
import events.i18n
from django.conf import settings
from django.db import migrations, models


SQLITE = [
    """
    CREATE TRIGGER events_scheduleversion_immutable BEFORE UPDATE ON events_scheduleversion
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: schedule_version_immutable'); END;
    """,
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS events_scheduleversion_immutable"]
POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION events_scheduleversion_immutable() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'schedule_version_immutable' USING ERRCODE = 'check_violation';
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER events_scheduleversion_immutable BEFORE UPDATE ON events_scheduleversion
    FOR EACH ROW EXECUTE FUNCTION events_scheduleversion_immutable();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS events_scheduleversion_immutable ON events_scheduleversion",
    "DROP FUNCTION IF EXISTS events_scheduleversion_immutable()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_competition"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduleVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("publish", "Published"),
                            ("contingency", "Contingency plan"),
                            ("delay", "Rescheduled after a delay"),
                        ],
                        default="publish",
                        max_length=20,
                        verbose_name="reason",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                ("placements", models.JSONField(default=list, verbose_name="placements")),
                ("published_at", models.DateTimeField(auto_now_add=True, verbose_name="published at")),
                ("notified", models.PositiveIntegerField(default=0, verbose_name="people notified")),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="schedule_versions",
                        to="events.programme",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "schedule version",
                "verbose_name_plural": "schedule versions",
                "ordering": ["programme", "-number"],
            },
        ),
        migrations.CreateModel(
            name="ContingencyPlan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name_zh", models.CharField(max_length=120, verbose_name="name (Chinese)")),
                ("name_en", models.CharField(max_length=120, verbose_name="name (English)")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contingency_plans",
                        to="events.programme",
                    ),
                ),
                (
                    "switched_to",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="events.scheduleversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "contingency plan",
                "verbose_name_plural": "contingency plans",
                "ordering": ["programme", "pk"],
            },
            bases=(events.i18n.BilingualMixin, models.Model),
        ),
        migrations.CreateModel(
            name="SolveJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "builder",
                    models.CharField(
                        choices=[("greedy", "Quick draft (greedy)"), ("cpsat", "Optimise (CP-SAT)")],
                        default="cpsat",
                        max_length=10,
                        verbose_name="builder",
                    ),
                ),
                (
                    "time_limit",
                    models.PositiveSmallIntegerField(default=10, verbose_name="time limit (seconds)"),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting"),
                            ("running", "Solving"),
                            ("done", "Finished"),
                            ("failed", "Failed"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("total", models.PositiveIntegerField(default=0)),
                ("placed", models.PositiveIntegerField(blank=True, null=True)),
                ("objective", models.BigIntegerField(blank=True, null=True)),
                ("bound", models.BigIntegerField(blank=True, null=True)),
                ("elapsed", models.FloatField(default=0)),
                ("progress", models.JSONField(blank=True, default=list)),
                ("error", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="solve_jobs",
                        to="events.programme",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "solve job",
                "verbose_name_plural": "solve jobs",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TravelTime",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("minutes", models.PositiveSmallIntegerField(verbose_name="minutes")),
                (
                    "from_city",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.city",
                        verbose_name="from city",
                    ),
                ),
                (
                    "from_venue",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.venue",
                        verbose_name="from venue",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="travel_times",
                        to="events.programme",
                    ),
                ),
                (
                    "to_city",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.city",
                        verbose_name="to city",
                    ),
                ),
                (
                    "to_venue",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.venue",
                        verbose_name="to venue",
                    ),
                ),
            ],
            options={
                "verbose_name": "travel time",
                "verbose_name_plural": "travel times",
                "ordering": ["programme", "pk"],
            },
        ),
        migrations.CreateModel(
            name="AgeBandLimit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("band", models.CharField(max_length=20, verbose_name="age band")),
                (
                    "max_matches_per_day",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="matches per day at most"
                    ),
                ),
                ("earliest_start", models.TimeField(blank=True, null=True, verbose_name="earliest start")),
                ("latest_start", models.TimeField(blank=True, null=True, verbose_name="latest start")),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="age_band_limits",
                        to="events.programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "age band limit",
                "verbose_name_plural": "age band limits",
                "ordering": ["programme", "band"],
                "constraints": [
                    models.UniqueConstraint(fields=("programme", "band"), name="age_band_limit_unique"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("earliest_start__isnull", True),
                            ("latest_start__isnull", True),
                            ("latest_start__gte", models.F("earliest_start")),
                            _connector="OR",
                        ),
                        name="age_band_limit_hours_ordered",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ContingencyPlacement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                (
                    "match",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="events.match"
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.venueresource",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placements",
                        to="events.contingencyplan",
                    ),
                ),
            ],
            options={
                "verbose_name": "contingency placement",
                "verbose_name_plural": "contingency placements",
                "ordering": ["plan", "starts_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("plan", "match"), name="contingency_placement_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="contingency_placement_ends_after_start",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Placement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                ("pinned", models.BooleanField(default=False, verbose_name="pinned")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "match",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placement",
                        to="events.match",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placements",
                        to="events.venueresource",
                        verbose_name="resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "placement",
                "verbose_name_plural": "placements",
                "ordering": ["starts_at", "resource", "match"],
                "indexes": [
                    models.Index(fields=["resource", "starts_at"], name="events_plac_resourc_480a11_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="placement_ends_after_start",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ScheduleSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "step_minutes",
                    models.PositiveSmallIntegerField(default=10, verbose_name="start times every (minutes)"),
                ),
                (
                    "min_rest_minutes",
                    models.PositiveSmallIntegerField(default=10, verbose_name="minimum rest (minutes)"),
                ),
                (
                    "dependency_rest_minutes",
                    models.PositiveSmallIntegerField(
                        default=10, verbose_name="rest after a needed result (minutes)"
                    ),
                ),
                (
                    "same_city_travel_minutes",
                    models.PositiveSmallIntegerField(
                        default=45, verbose_name="travel within a city (minutes)"
                    ),
                ),
                (
                    "other_city_travel_minutes",
                    models.PositiveSmallIntegerField(
                        default=150, verbose_name="travel between cities (minutes)"
                    ),
                ),
                (
                    "pool_bout_minutes",
                    models.PositiveSmallIntegerField(default=10, verbose_name="pool bout (minutes)"),
                ),
                (
                    "elimination_bout_minutes",
                    models.PositiveSmallIntegerField(default=20, verbose_name="elimination bout (minutes)"),
                ),
                (
                    "programme",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="schedule_settings",
                        to="events.programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "schedule settings",
                "verbose_name_plural": "schedule settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("step_minutes__gte", 1)), name="schedule_settings_step_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("elimination_bout_minutes__gte", 1), ("pool_bout_minutes__gte", 1)
                        ),
                        name="schedule_settings_durations_positive",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="scheduleversion",
            constraint=models.UniqueConstraint(
                fields=("programme", "number"), name="schedule_version_number_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="scheduleversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__gte", 1)), name="schedule_version_number_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="solvejob",
            constraint=models.CheckConstraint(
                condition=models.Q(("time_limit__gte", 1), ("time_limit__lte", 120)),
                name="solve_job_time_limit",
            ),
        ),
        migrations.AddConstraint(
            model_name="traveltime",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("from_city__isnull", True),
                        ("from_venue__isnull", False),
                        ("to_city__isnull", True),
                        ("to_venue__isnull", False),
                    ),
                    models.Q(
                        ("from_city__isnull", False),
                        ("from_venue__isnull", True),
                        ("to_city__isnull", False),
                        ("to_venue__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="travel_time_venues_or_cities",
                violation_error_message="Give two venues or two cities.",
            ),
        ),
        migrations.AddConstraint(
            model_name="traveltime",
            constraint=models.UniqueConstraint(
                condition=models.Q(("from_venue__isnull", False)),
                fields=("programme", "from_venue", "to_venue"),
                name="travel_time_venue_pair_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="traveltime",
            constraint=models.UniqueConstraint(
                condition=models.Q(("from_city__isnull", False)),
                fields=("programme", "from_city", "to_city"),
                name="travel_time_city_pair_unique",
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
