"""Builders of test and demo data shared by every app's tests (not shipped logic)."""
