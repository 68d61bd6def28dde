"""Screens: login, dashboard, help."""
