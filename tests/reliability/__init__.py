"""Reliability under load, crashes, database outages and offline replays."""
