"""The build command: atomic outputs under SIGKILL, one build per folder at a time, ``--set`` parameters.

The kill and lock tests run the real ``python -m analysis.build`` on notebooks 01 and 02
only (``--notebook``), which write 20 files through the same writer as the others, to keep
the suite's time down; the full build is run by ``tests/test_notebooks.py``.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from analysis import build, io
from analysis.paths import FIGURES_ENV, ROOT, SEEDS_ENV

pytestmark = pytest.mark.slow  # builds notebooks, starts servers, or searches long (skipped by make test-fast)

SUBSET = ["--notebook", "01", "--notebook", "02"]
TIMEOUT = 900


def run_build(args: list[str], out: Path | None = None, seeds: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if out is not None:
        env[FIGURES_ENV] = str(out)
    if seeds is not None:
        env[SEEDS_ENV] = str(seeds)
    return subprocess.run(
        [sys.executable, "-m", "analysis.build", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def start_build(out: Path, log: Path, seeds: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, FIGURES_ENV: str(out)}
    if seeds is not None:
        env[SEEDS_ENV] = str(seeds)
    with open(log, "wb") as stderr:
        return subprocess.Popen([sys.executable, "-m", "analysis.build", *SUBSET], cwd=ROOT, env=env, stderr=stderr)


def kill_tree(process: subprocess.Popen) -> int:
    """SIGKILL the build and every process it started (nbclient puts kernels in sessions of their own)."""
    root = psutil.Process(process.pid)
    root.send_signal(signal.SIGSTOP)  # frozen, it cannot start another kernel while its children are listed
    children = root.children(recursive=True)
    for child in children:
        try:
            child.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    root.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    psutil.wait_procs(children, timeout=60)
    return 1 + len(children)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def signatures(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Inode, modification time and size of each file: any replacement or rewrite changes it."""
    found = {}
    for path in folder.iterdir():
        try:
            stat = path.stat()
        except FileNotFoundError:  # a temporary file renamed meanwhile
            continue
        found[path.name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# --------------------------------------------------------------------------- atomic writes and the lock


def test_atomic_write_leaves_no_temporary_file_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    io.atomic_write_text(target, "old\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(io.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        io.atomic_write_text(target, "new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"] and target.read_text() == "old\n"


def test_temporary_names_are_hidden_and_carry_the_writer_pid(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(io.os, "replace", spy)
    io.atomic_write_bytes(tmp_path / "03-lda-topics__explorer.html", b"x")
    match = io.TEMPORARY_NAME.match(seen[0])
    assert seen[0].startswith(".") and match and match["name"] == "03-lda-topics__explorer.html"
    assert int(match["pid"]) == os.getpid()


def test_stale_temporary_files_are_those_of_dead_writers(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".a.png.{dead_pid}.k2j4h5x_.tmp"
    alive = tmp_path / f".b.png.{os.getpid()}.abcdefgh.tmp"
    output = tmp_path / "a.png"
    for path in (stale, alive, output):
        path.write_bytes(b"x")
    assert io.stale_temporary_files(tmp_path) == [stale]
    assert io.remove_stale_temporary_files(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, output.name])


def test_folder_lock_excludes_a_second_holder_and_is_removed(tmp_path):
    with io.folder_lock(tmp_path) as lock:
        assert lock.read_text().strip() == str(os.getpid())
        with pytest.raises(io.FolderBusyError, match=rf"pid {os.getpid()}"):
            with io.folder_lock(tmp_path, wait=False):
                pass
    assert not lock.exists()
    with io.folder_lock(tmp_path, wait=False):
        pass


def test_build_no_wait_exits_3_when_the_folder_is_busy(tmp_path):
    with io.folder_lock(tmp_path):
        result = run_build(["--no-wait", *SUBSET], out=tmp_path)
    assert result.returncode == build.EXIT_FOLDER_BUSY
    assert "another build" in one_line_error(result)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_killed_builds_leave_only_complete_files_and_concurrent_builds_queue(tmp_path, fixtures):
    """SIGKILL at several points of a build over a previous one; then two builds at once.

    Previous version: notebooks 01-02 on ``tests/fixtures/pages``; new version: the same
    notebooks on the default corpus, so every file differs between the two.
    """
    out = tmp_path / "figures"
    pages = fixtures / "pages"
    first = run_build(SUBSET, out=out, seeds=pages)
    assert first.returncode == 0, first.stderr[-2000:]
    previous = snapshot(out)
    before = signatures(out)
    assert len(previous) == 20

    # kill 1: right after the first file is replaced; kill 2: while a temporary file is
    # visible (mid-write), once 5 files are replaced; kill 3: after 15 files
    partial_states, killed, mid_write_kills = [], 0, 0
    for threshold, during_write in ((1, False), (5, True), (15, False)):
        process = start_build(out, tmp_path / f"kill-{threshold}.log")
        deadline = time.monotonic() + TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            current = signatures(out)
            writing = any(io.TEMPORARY_NAME.match(name) for name in current)
            replaced = sum(1 for name, sig in current.items() if name in before and sig != before[name])
            if replaced >= threshold and (writing or not during_write or replaced >= 12):
                mid_write_kills += writing
                kill_tree(process)
                killed += 1
                break
            time.sleep(0.005)
        assert process.returncode == -signal.SIGKILL, f"the build ended before {threshold} files were replaced"
        partial_states.append(snapshot(out))
        before = signatures(out)
    leftovers = {name for state in partial_states for name in state if io.TEMPORARY_NAME.match(name)}

    # two builds at once: the first (previous corpus) holds the folder, the second waits, then replaces everything
    holder = start_build(out, tmp_path / "holder.log", seeds=pages)
    deadline = time.monotonic() + TIMEOUT
    lock = out / io.LOCK_NAME
    while not (lock.exists() and lock.read_text().strip() == str(holder.pid)) and time.monotonic() < deadline:
        assert holder.poll() is None, (tmp_path / "holder.log").read_text()
        time.sleep(0.05)
    waiter = start_build(out, tmp_path / "waiter.log")
    assert holder.wait(TIMEOUT) == 0, (tmp_path / "holder.log").read_text()[-2000:]
    assert waiter.wait(TIMEOUT) == 0, (tmp_path / "waiter.log").read_text()[-2000:]
    assert f"waiting: another build (pid {holder.pid})" in (tmp_path / "waiter.log").read_text()
    removed = [line for line in (tmp_path / "holder.log").read_text().splitlines() if line.startswith("removed .")]
    assert len(removed) == len([n for n in leftovers if (n in partial_states[-1])]), removed
    final = snapshot(out)

    # the new version is complete: the same names, every byte of the default corpus, nothing left over
    assert sorted(final) == sorted(previous), "leftover files after a complete build"
    assert [name for name in final if final[name] == previous[name]] == [], "the second build did not write last"
    files_checked, partial_files = 0, []
    for state in partial_states:
        for name, data in state.items():
            if io.TEMPORARY_NAME.match(name) or name == io.LOCK_NAME:
                continue  # hidden, named so no reader takes it for an output; removed by the next build
            files_checked += 1
            if name not in final or data not in (previous[name], final[name]):
                partial_files.append(name)
    assert partial_files == []
    assert any(state[n] == final[n] for state in partial_states for n in final if n in state), (
        "no kill came after a replacement"
    )
    print(
        f"builds killed: {killed} ({mid_write_kills} while a temporary file existed), files checked: {files_checked}, "
        f"partial files: {len(partial_files)}, temporary files left by kills: {len(leftovers)}",
        file=sys.stderr,
    )


# --------------------------------------------------------------------------- --set and --notebook


def parameters_notebook(source: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})
    notebook.cells = [nbformat.v4.new_markdown_cell("# t"), cell, nbformat.v4.new_code_cell("print(A)")]
    return notebook


@pytest.mark.parametrize(
    "text, expected",
    [
        ("K_VALUES=[2, 3, 4]", ("K_VALUES", [2, 3, 4])),
        ("MAX_DF=0.5", ("MAX_DF", 0.5)),
        ("PRIOR_SCALE=None", ("PRIOR_SCALE", None)),
        ("SUBLINEAR_TF=False", ("SUBLINEAR_TF", False)),
        ("GROUP_TAG='1988 Massacre'", ("GROUP_TAG", "1988 Massacre")),
        ("GROUP_TAG=1988 Massacre", ("GROUP_TAG", "1988 Massacre")),
        ("SEEDS=tests/fixtures/pages", ("SEEDS", "tests/fixtures/pages")),
        ("KWIC_TERMS=a=b", ("KWIC_TERMS", "a=b")),
    ],
)
def test_parse_assignment(text, expected):
    assert build.parse_assignment(text) == expected


@pytest.mark.parametrize(
    "text", ["K_VALUES=[2, 3", "TOP_N=", "=3", "TOP_N", "1X=2", "GROUP_TAG='open", "TOP_N=1O", "A={1:"]
)
def test_parse_assignment_rejects_malformed(text):
    with pytest.raises(ValueError, match=r"^--set "):
        build.parse_assignment(text)


def test_notebook_parameters_reads_the_tagged_cell():
    notebook = parameters_notebook("A = 1  # one\nB: float = 0.5\nC = [1, 2]\nD = some_call()\n")
    names = build.notebook_parameters(notebook)
    assert list(names) == ["A", "B", "C", "D"] and names["C"] == [1, 2] and names["D"] is build.NO_DEFAULT


def test_plan_sends_a_name_to_every_notebook_that_has_it_and_conforms_types():
    a, b = Path("01-a.ipynb"), Path("02-b.ipynb")
    notebooks = {
        a: parameters_notebook("TOP_N = 8\nMAX_DF = 1.0\n"),
        b: parameters_notebook("TOP_N = 10\nK = [2, 3]\n"),
    }
    plan = build.plan_overrides(["TOP_N=5", "MAX_DF=1", "K=4,5"], notebooks)
    assert plan == {a: {"TOP_N": 5, "MAX_DF": 1.0}, b: {"TOP_N": 5, "K": [4, 5]}}
    assert isinstance(plan[a]["MAX_DF"], float)  # 1 would mean "one document" to scikit-learn's max_df
    with pytest.raises(
        ValueError, match=r"no selected notebook has a parameter NOPE; known parameters: K, MAX_DF, TOP_N"
    ):
        build.plan_overrides(["NOPE=1"], notebooks)
    with pytest.raises(ValueError, match=r"TOP_N expects int"):
        build.plan_overrides(["TOP_N=many"], notebooks)
    with pytest.raises(ValueError, match=r"expects int"):
        build.plan_overrides(["K=[2.5]"], notebooks)


def test_inject_parameters_adds_a_tagged_cell_after_the_parameters_cell():
    notebook = build.inject_parameters(parameters_notebook("A = 1\n"), {"A": [2, "x'y"], "B": None})
    cell = notebook.cells[2]
    assert cell.metadata["tags"] == ["injected-parameters"] and notebook.cells[3].source == "print(A)"
    namespace: dict = {}
    exec(compile(ast.parse(cell.source), "injected", "exec"), namespace)
    assert namespace["A"] == [2, "x'y"] and namespace["B"] is None


def test_select_notebooks():
    paths = build.notebook_paths()
    assert [p.stem for p in build.select_notebooks(["03", "01-corpus-overview.ipynb"], paths)] == [
        "01-corpus-overview",
        "03-lda-topics",
    ]
    assert build.select_notebooks([], paths) == paths
    with pytest.raises(ValueError, match=r"--notebook 7: no such notebook; choose from 01-corpus-overview"):
        build.select_notebooks(["7"], paths)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--set", "NOT_A_PARAMETER=1"], "no selected notebook has a parameter NOT_A_PARAMETER"),
        (["--set", "K_VALUES=[2, 3"], "is not a valid Python literal"),
        (["--set", "TOP_N=lots"], "TOP_N expects int"),
        (["--notebook", "01", "--set", "K_VALUES=[2]"], "no selected notebook has a parameter K_VALUES"),
        (["--notebook", "99"], "no such notebook"),
    ],
)
def test_bad_arguments_stop_before_anything_runs(tmp_path, monkeypatch, capsys, args, fragment):
    monkeypatch.setenv(FIGURES_ENV, str(tmp_path / "out"))
    monkeypatch.setattr(build, "execute_notebook", lambda *a, **k: pytest.fail("a notebook ran"))
    assert build.main(args) == build.EXIT_BAD_INPUT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --") and fragment in lines[0]
    assert not (tmp_path / "out").exists(), "the build wrote before checking its arguments"


def test_the_command_rejects_an_unknown_parameter_with_one_line_and_status_2(tmp_path):
    result = run_build(["--set", "K_VALUE=[2, 3]"], out=tmp_path / "out")
    assert result.returncode == 2
    assert "no selected notebook has a parameter K_VALUE;" in one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_help_documents_parameters_and_exit_statuses():
    result = run_build(["--help"])
    assert result.returncode == 0
    for fragment in (
        "--set NAME=VALUE",
        "injected-parameters",
        "--notebook",
        "--no-wait",
        "exit status",
        "K_VALUES=[2, 3, 4]",
    ):
        assert fragment in result.stdout


def test_set_overrides_a_notebook_parameter(tmp_path):
    """A smaller K range reaches notebook 03: its sweep and manifest use it; FIGURES comes from --set too."""
    out = tmp_path / "k-range"
    result = run_build(
        ["--notebook", "03", "--set", "K_VALUES=[2, 3]", "--set", "SWEEP_SEEDS=[1, 2]", "--set", f"FIGURES={out}"]
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "executing notebooks/03-lda-topics.ipynb" in result.stderr and "01-corpus" not in result.stderr
    sweep = (out / "03-lda-topics__k-sweep.csv").read_text(encoding="utf-8").splitlines()
    header = sweep[0].split(",")
    ks = {int(row.split(",")[header.index("k")]) for row in sweep[1:]}
    assert ks == {2, 3}
    manifest = json.loads((out / "03-lda-topics__manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["K_VALUES"] == [2, 3] and manifest["parameters"]["SWEEP_SEEDS"] == [1, 2]
    assert manifest["parameters"]["FIGURES"] == str(out)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("03-")) == [
        "corpus-summary.json",
        "corpus-summary.md",
    ]
    # a second run that no longer writes a file removes it: a stale figure is never taken for a result
    (out / "03-lda-topics__topics-mallet.png").write_bytes(b"from an earlier run")
    (out / "04-term-comparisons__groups.png").write_bytes(b"another notebook's output")
    again = run_build(
        ["--notebook", "03", "--set", "K_VALUES=[2, 3]", "--set", "SWEEP_SEEDS=[1, 2]", "--set", f"FIGURES={out}"]
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "removed 03-lda-topics__topics-mallet.png" in again.stderr
    assert not (out / "03-lda-topics__topics-mallet.png").exists()
    assert (out / "04-term-comparisons__groups.png").exists() and (out / "03-lda-topics__k-sweep.csv").exists()
    notebook = nbformat.read(ROOT / "notebooks" / "03-lda-topics.ipynb", as_version=4)
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in notebook.cells), (
        "the notebook file changed"
    )
