"""Harbour's SQLite database backend: Django's, plus planner statistics that stay current."""
