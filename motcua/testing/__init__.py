"""Builders of test and demo data, browser-test fixtures and developer tools; not used at run time."""
