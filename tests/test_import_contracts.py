"""The apps depend one way (pyproject.toml's import contracts), and the architecture note draws it."""

import ast
import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def load_app_graph():
    spec = importlib.util.spec_from_file_location("app_graph", ROOT / "scripts" / "app_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken." in result.stdout


def test_import_contracts_fail_on_a_back_import(tmp_path):
    # A copy of the code (Python only) with one module of the lowest app importing the PEP.
    skip = shutil.ignore_patterns("static", "templates", "*.pyc")
    for package in ("openpep", "synthetic"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "openpep" / "audit" / "back_import.py").write_text("from openpep.plans.models import Pep  # noqa\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "kept, 1 broken." in result.stdout
    assert "openpep.audit is not allowed to import openpep.plans" in result.stdout
    assert "openpep.audit.back_import -> openpep.plans.models" in result.stdout


def test_every_app_is_in_the_contracts_and_forbidden_to_the_shared_modules():
    """A new app is one more layer of the apps' contract and one more module the shared ones may not
    import; forgetting either would leave it unchecked."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in settings["contracts"]}
    apps = {f"openpep.{path.parent.name}" for path in (ROOT / "openpep").glob("*/apps.py")}
    assert {f"openpep.{layer}" for layer in contracts["apps"]["layers"]} == apps
    assert apps <= set(contracts["shared"]["forbidden_modules"])
    # The worker and demo commands, and the backups, have no views, forms or services to order.
    assert apps - set(contracts["modules"]["containers"]) == {"openpep.backups", "openpep.project"}


def app_of(module: str) -> str:
    return module.split(".")[1] if module.startswith("openpep.") and module.count(".") >= 1 else module


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def private_imports():
    """(importer, module, name) for each name starting with one underscore imported from another app."""
    found = set()
    for path in sorted((ROOT / "openpep").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(), str(path))
        aliases = {}  # a name bound to another app's module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if app_of(node.module) == app_of(importer) or not node.module.startswith("openpep."):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.add((importer, node.module, alias.name))
                    if is_module(f"{node.module}.{alias.name}"):
                        aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("openpep.") and app_of(alias.name) != app_of(importer) and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.add((importer, aliases[node.value.id], node.attr))
    return found


def test_no_app_imports_another_apps_private_names():
    assert private_imports() == set()


def test_architecture_note_draws_the_apps_as_the_imports_go():
    app_graph = load_app_graph()
    assert app_graph.documented() == app_graph.picture()
