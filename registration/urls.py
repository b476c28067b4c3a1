from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("delegations/", views.delegation_list, name="delegation-list"),
    path("delegations/new/", views.delegation_create, name="delegation-create"),
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation-detail"),
    path("delegations/<int:pk>/invite/", views.membership_invite, name="membership-invite"),
    path("delegations/<int:pk>/teams/new/", views.team_create, name="team-create"),
    path("delegations/<int:pk>/athletes/", views.athlete_list, name="athlete-list"),
    path("delegations/<int:pk>/athletes/new/", views.athlete_create, name="athlete-create"),
    path("delegations/<int:pk>/athletes/import/", views.athlete_import, name="athlete-import"),
    path(
        "delegations/<int:pk>/athletes/template.<str:fmt>",
        views.import_template,
        name="athlete-import-template",
    ),
    path("delegations/invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("delegations/athletes/<int:pk>/", views.athlete_detail, name="athlete-detail"),
    path("delegations/athletes/<int:pk>/edit/", views.athlete_edit, name="athlete-edit"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/entries/new/", views.entry_create, name="entry-create"),
    path("teams/entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry-withdraw"),
    path(
        "organiser/registration/athletes/<int:pk>/reveal/",
        views.document_reveal,
        name="document-reveal",
    ),
]
