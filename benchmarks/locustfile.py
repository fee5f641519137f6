"""The staff load scenario for benchmarks/load.py (locust, headless). Not run on its own.

Sessions are signed in once by load.py (TOTP codes are single-use) and handed over in
HARBOUR_LOAD_SESSIONS as JSON {role: {"cookies": {...}, "case": path, "advocate": id}}; each
simulated person reuses their role's session, as many browser tabs of one account would.
"""

from __future__ import annotations

import datetime
import json
import os
import random

from locust import HttpUser, between, task

SESSIONS = json.loads(os.environ.get("HARBOUR_LOAD_SESSIONS", "{}"))
FLOOR = "/public/help/"


class Staff(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        me = SESSIONS[self.role]
        self.client.cookies.update(me["cookies"])
        self.case = me.get("case", "")
        self.advocate = me.get("advocate", "")

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    def submit(self, path: str, fields: dict[str, str], name: str) -> None:
        """POST a form as a browser would (CSRF token and Referer); a redirect means it was saved."""
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **fields}
        with self.client.post(
            path,
            data=data,
            headers={"Referer": f"{self.host}{path}"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")

    @task(2)
    def floor(self) -> None:
        self.page(FLOOR, "floor: public help page")


class Advocate(Staff):
    role = "advocate"
    weight = 6

    @task(4)
    def caseload(self) -> None:
        self.page("/cases/", "cases: mine")

    @task(1)
    def all_cases(self) -> None:
        self.page(f"/cases/?show=all&page={random.randint(1, 20)}", "cases: all, a page")

    @task(4)
    def case_page(self) -> None:
        self.page(f"{self.case}/", "case page")

    @task(2)
    def contact_log(self) -> None:
        self.page(f"{self.case}/contacts/", "case: contact log")

    @task(1)
    def log_contact(self) -> None:
        self.submit(
            f"{self.case}/contacts/new/",
            {
                "method": "face_to_face",
                "direction": "out",
                "on": datetime.datetime.now(datetime.UTC).date().isoformat(),
                "at": "10:00",
                "note": "Load test: met at the office.",
                "place": "The service's office",
                "place_known_to_suspect": "no",
            },
            "case: log a contact (POST)",
        )

    @task(1)
    def log_incidents(self) -> None:
        """Quick entry in the diary: "3 calls this evening" (an audited, versioned incident)."""
        case_id = self.case.rstrip("/").rsplit("/", 1)[-1]
        self.submit(
            f"/evidence/cases/{case_id}/diary/quick/",
            {
                "behaviour": "calls",
                "count": "3",
                "on": datetime.datetime.now(datetime.UTC).date().isoformat(),
                "start": "21:00",
                "end": "23:00",
                "note": "Load test: withheld number, no message left.",
            },
            "case: log incidents, quick entry (POST)",
        )

    @task(1)
    def home(self) -> None:
        self.page("/home/", "home (advocate)")


class Manager(Staff):
    role = "manager"
    weight = 3

    @task(2)
    def home(self) -> None:
        self.page("/home/", "home (manager)")

    @task(3)
    def open_cases(self) -> None:
        self.page("/cases/", "cases: open (manager)")

    @task(1)
    def deep_page(self) -> None:
        self.page("/cases/?show=all&page=200", "cases: all, page 200 (manager)")

    @task(1)
    def caseload(self) -> None:
        self.page(f"/cases/?show=open&advocate={self.advocate}", "caseload of one advocate")

    @task(1)
    def access_log(self) -> None:
        self.page(f"{self.case}/access-log/", "case: access log")


class Police(Staff):
    role = "police"
    weight = 1

    @task
    def sent(self) -> None:
        self.page("/referrals/sent/", "referrals sent (police)")


class Commissioner(Staff):
    """A commissioner's office reading its dashboard now and then (never a victim's identity)."""

    role = "commissioner"
    weight = 1
    wait_time = between(5, 15)

    @task
    def dashboard(self) -> None:
        self.page("/reporting/", "reporting dashboard (commissioner)")
