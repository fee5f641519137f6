"""Expected statuses for reporting:* URLs.

Cora (the commissioner's office) and Mia (provider A's manager) read the dashboard and export its
figures; Bea (provider B's manager) reads her own organisation's. Only Cora's office keeps the
quarterly return and enters populations, the survey rate and recorded crimes. Everyone else gets
404; a GET with an unknown figure or format is 404 for everyone too (tests/reporting).
"""

from __future__ import annotations

from tests.access.routes import Route, statuses

DASHBOARD = statuses(404, anon=302, cora=200, mia=200, bea=200)
OFFICE = statuses(404, anon=302, cora=200)
OFFICE_DONE = statuses(404, anon=302, cora=302)

ROUTES = [
    Route("reporting:dashboard", DASHBOARD),
    Route("reporting:export", DASHBOARD, kwargs=lambda world: {"figure": "sources", "fmt": "csv"}),
    Route("reporting:pdf", DASHBOARD),
    Route("reporting:return", OFFICE),
    Route(
        "reporting:return",
        OFFICE_DONE,
        method="POST",
        data=lambda world: {"columns": ["sources.total"]},
        mutates=True,
    ),
    Route("reporting:return_export", OFFICE, kwargs=lambda world: {"fmt": "xlsx"}),
    Route("reporting:settings", OFFICE),
    Route(
        "reporting:settings",
        OFFICE_DONE,
        method="POST",
        data=lambda world: {"form": "settings", "settings-survey_rate_percent": "2.6"},
        mutates=True,
    ),
]
