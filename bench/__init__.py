"""Benchmarks: each module exposes main() -> list of rows; `make bench` prints them as one table."""
