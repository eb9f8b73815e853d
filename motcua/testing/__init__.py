"""Helpers for tests and developer tools (browser tests, screenshots); not used at run time."""
