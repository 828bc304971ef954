"""Synthetic data at council and national size, and signed-in sessions, for ``make bench``.

Nothing here is imported by the app; no real person is in what it makes."""
