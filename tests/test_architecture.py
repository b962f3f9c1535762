"""The package's layout matches docs/architecture.md: every module listed, imports only downwards."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from analysis.paths import PACKAGE, ROOT

ARCHITECTURE = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\|\s*(?P<rank>\d+)\s*\|\s*(?P<stage>\w+)\s*\|\s*`(?P<path>[^`]+)`\s*\|")


def declared_stages() -> dict[str, tuple[int, str]]:
    """Module file (relative to the repository) -> (rank, stage), from the table in docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("<!-- stages:start -->", 1)[1].split("<!-- stages:end -->", 1)[0]
    rows = [ROW.match(line) for line in block.splitlines()]
    return {m["path"]: (int(m["rank"]), m["stage"]) for m in rows if m}


def module_file(name: str) -> str | None:
    """The file of an ``analysis.*`` module name, relative to the repository, or None if it is not a module."""
    parts = name.split(".")
    base = PACKAGE.parent.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    return None


def imported_modules(path: Path) -> set[str]:
    """Every ``analysis`` module a file imports, at the top or inside functions (``from analysis import x`` too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "analysis")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analysis":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)  # submodules imported by name
    return {name for name in found if module_file(name)}


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_the_architecture_table():
    declared = declared_stages()
    actual = {path.relative_to(ROOT).as_posix() for path in package_modules()}
    assert actual - declared.keys() == set(), "modules missing from docs/architecture.md"
    assert declared.keys() - actual == set(), "docs/architecture.md lists modules that do not exist"


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_downwards(path):
    declared = declared_stages()
    rank, stage = declared[path.relative_to(ROOT).as_posix()]
    for name in imported_modules(path):
        target_rank, target_stage = declared[module_file(name)]
        assert target_rank <= rank, f"{stage} imports {name} from the later stage {target_stage}"
        if target_rank == rank:
            assert target_stage == stage, f"{stage} imports {name} from {target_stage}, a stage of the same rank"


def test_the_checker_sees_a_backward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from analysis.report import plots\n    import analysis.models.engines\n")
    assert imported_modules(module) == {"analysis.report", "analysis.report.plots", "analysis.models.engines"}


def test_benchmarks_are_not_part_of_the_installed_package():
    assert not (PACKAGE / "bench.py").exists() and not (PACKAGE / "synthetic.py").exists()
    assert (ROOT / "benchmarks" / "bench.py").is_file()
