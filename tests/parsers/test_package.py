"""harbour_parsers is a pure Python package: no Django, so it is fast, fuzzable and reusable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import harbour_parsers

PACKAGE = Path(harbour_parsers.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names.add("__import__")
        elif isinstance(node, ast.Attribute) and node.attr == "import_module":
            names.add("importlib.import_module")
    return names


def test_no_module_in_the_package_imports_django_or_harbour():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        for name in _imported_modules(path):
            root = name.split(".")[0]
            assert root not in ("django", "harbour"), f"{path.name} imports {name}"
            assert name not in ("__import__", "importlib.import_module"), (
                f"{path.name} imports dynamically"
            )


def test_importing_and_using_the_package_loads_no_django():
    code = (
        "import sys, harbour_parsers\n"
        "from harbour_parsers import parse\n"
        f"list(parse({str(PACKAGE.parent.parent / 'tests/parsers/fixtures/whatsapp_android_en_gb.txt')!r}))\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith(('django.', 'harbour.'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_package_is_found_by_setuptools_in_src():
    from setuptools import find_packages

    assert "harbour_parsers" in find_packages(str(PACKAGE.parent))
