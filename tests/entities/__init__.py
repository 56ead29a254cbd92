"""Tests of persons, places, organisations, dates and correspondence metadata."""
