"""Headless-Chromium tests of the dashboard served by the HTTP listener (docs/http.md)."""
