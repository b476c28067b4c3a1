"""The demo season as data (places, events and sessions); the slice that writes it is `events/demo.py`."""
