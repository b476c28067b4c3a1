"""Teams are named in both languages: the single name becomes the Chinese name (every existing team
keeps its name, and `.name` still shows it to every reader), the English name starts empty and
falls back to the Chinese one until someone gives it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0011_athlete_grade_and_eligibility_grades"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="team", name="team_name_unique_per_event"),
        migrations.RenameField(model_name="team", old_name="name", new_name="name_zh"),
        migrations.AlterField(
            model_name="team",
            name="name_zh",
            field=models.CharField(max_length=120, verbose_name="name (Chinese)"),
        ),
        migrations.AddField(
            model_name="team",
            name="name_en",
            field=models.CharField(blank=True, default="", max_length=120, verbose_name="name (English)"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="team",
            options={"ordering": ["event__start_date", "name_zh", "pk"], "verbose_name": "team", "verbose_name_plural": "teams"},
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.UniqueConstraint(
                fields=("delegation", "event", "name_zh"), name="team_name_unique_per_event"
            ),
        ),
    ]
