from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("venues/<slug:slug>/", views.venue_detail, name="venue-detail"),
    path("organiser/", views.organiser_home, name="organiser-home"),
]
