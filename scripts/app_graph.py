#!/usr/bin/env python
"""The apps and their one-way arrows, drawn from the code's imports in the order of the contracts.

Usage: .venv/bin/python scripts/app_graph.py [--write]

Prints one line an app, top layer first as ``pyproject.toml``'s import contract lists them, with
the apps it imports (directly, anywhere in its modules, ignored imports included, so an exception
shows). ``--write`` puts the picture into docs/architecture.md between its app-graph markers;
tests/test_import_contracts.py fails when the two differ."""

import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- app-graph: made by scripts/app_graph.py -->", "<!-- /app-graph -->"


def layers() -> list[str]:
    """The apps of the layers contract, top first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "apps"]
    return list(contract["layers"])


def app_imports(apps: list[str]) -> dict[str, set[str]]:
    """For each app, the other apps its modules import."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("openpep", cache_dir=None)
    arrows = {app: set() for app in apps}
    for app in apps:
        for other in apps:
            if other != app and graph.direct_import_exists(
                importer=f"openpep.{app}", imported=f"openpep.{other}", as_packages=True
            ):
                arrows[app].add(other)
    return arrows


def picture() -> str:
    apps = layers()
    arrows = app_imports(apps)
    width = max(map(len, apps))
    lines = []
    for app in apps:
        # Below it in the contract: the arrow points down. Above it: a back-import the contract ignores.
        down = [other for other in apps if other in arrows[app] and apps.index(other) > apps.index(app)]
        up = [other for other in apps if other in arrows[app] and apps.index(other) < apps.index(app)]
        line = f"{app:<{width}}  → " + (", ".join(down) or "(nothing)")
        if up:
            line += "   BACK (ignored): " + ", ".join(up)
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def documented() -> str:
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END)
    return text[start + len(BEGIN) : end].strip("\n").removeprefix("```").removesuffix("```").strip("\n") + "\n"


def write() -> None:
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END)
    DOC.write_text(text[: start + len(BEGIN)] + "\n```\n" + picture() + "```\n" + text[end:])


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
    else:
        sys.stdout.write(picture())
