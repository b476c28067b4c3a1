"""Rendering helpers shared by the apps (PDF fonts) and the schedule's PDF."""
