"""pytest plugin loaded with ``-p harbour.testing.env`` before Django is set up.

Puts every test run in the ``test`` environment with its own throwaway data directory, so tests never
touch a developer's demo database or keys.
"""

import os
import tempfile

os.environ["HARBOUR_ENV"] = "test"
if "HARBOUR_TEST_DATA_DIR" in os.environ:
    os.environ["HARBOUR_DATA_DIR"] = os.environ["HARBOUR_TEST_DATA_DIR"]
else:
    os.environ["HARBOUR_DATA_DIR"] = tempfile.mkdtemp(prefix="harbour-test-")
