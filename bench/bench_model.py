"""Benchmark the plan model as a user meets it: import, open, edit, undo, save and dump.

Prints one table per plan size (figure | value | target, and MISS beside a figure that misses
its target) and never asserts on time: the exit status is 0 unless something crashes.

Every phase runs in a fresh Python process (this script again, with a hidden ``--phase``
flag), so that each phase's peak memory is its own: the peak of the open-edit-save session
does not include the import, and the import's does not include the generator.  Plan Studio's
recovery copies and locks go to a temporary ``PLANSTUDIO_HOME``; everything is written in a
temporary folder that is removed at the end.  MB here means 2**20 bytes.

Usage::

    python bench/bench_model.py [--size district|stress|both] [--edits N]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

SEED = 1
OPEN_RUNS = 5
SAVE_RUNS = 5
CLI_DUMP_RUNS = 3
UNDO_LIMIT = 50
MB = 2**20

# Targets: the district figures a user must not notice; the stress plan (ten times every
# count) may cost at most STRESS_FACTOR times the district figure, i.e. scale about linearly.
DISTRICT_TARGETS_MS = {"open": 150.0, "edit_p95": 5.0, "save": 200.0}
STRESS_FACTOR = 12
STRESS_PEAK_MB = 200.0

PLAN_JSON = "plan.json"
PLAN_FILE = "plan.psplan"
SESSION_FILE = "session.psplan"


# ---------------------------------------------------------------------------- measuring


def _peak_rss_mb() -> float | None:
    """This process's peak resident set size so far, or None where it cannot be read."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / MB if sys.platform == "darwin" else peak * 1024 / MB


def _percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def _ms(seconds: float) -> float:
    return seconds * 1000


# ---------------------------------------------------------------------------- phases
# Each runs in its own process and returns a JSON-ready dict of figures.


def _phase_baseline(_work: Path, _edits: int) -> dict[str, Any]:
    """The interpreter with the model imported: the floor under every other peak."""
    import planstudio
    import planstudio.model
    import planstudio.model.interchange

    where = str(Path(planstudio.__file__).parent)
    return {"peak_rss_mb": _peak_rss_mb(), "version": planstudio.__version__, "where": where}


def _phase_import(work: Path, _edits: int) -> dict[str, Any]:
    from planstudio.model import PlanDocument
    from planstudio.model.interchange import parse

    data = (work / PLAN_JSON).read_bytes()
    start = time.perf_counter()
    document = parse(data, PLAN_JSON)
    parsed = time.perf_counter()
    plan = PlanDocument.from_interchange(document)
    built = time.perf_counter()
    plan.save_as(work / PLAN_FILE)
    saved = time.perf_counter()
    plan.close()
    closed = time.perf_counter()
    return {
        "parse_ms": _ms(parsed - start),
        "build_ms": _ms(built - parsed),
        "save_as_ms": _ms(saved - built),
        "close_ms": _ms(closed - saved),
        "import_ms": _ms(closed - parsed),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _phase_open(work: Path, _edits: int) -> dict[str, Any]:
    """Open the plan, dump it, close it: each dump is the first on a freshly opened plan, as
    with `planstudio dump`, so that whatever open leaves to load later is counted."""
    from planstudio.model import PlanDocument
    from planstudio.model.interchange import dumps
    from planstudio.model.plan_file import read_plan_file

    path = work / PLAN_FILE
    opens, dump_times, snapshots, read_once = [], [], [], []
    for _ in range(OPEN_RUNS):
        start = time.perf_counter()
        document = PlanDocument.open(path)
        opens.append(time.perf_counter() - start)
        start = time.perf_counter()
        document.snapshot()
        snapshots.append(time.perf_counter() - start)
        start = time.perf_counter()
        dumps(document.plan)
        dump_times.append(time.perf_counter() - start)
        document.close()
        # A closed document still holds its plan's objects, which only the cycle collector
        # frees; collect them now, so that each run starts from the heap the first one had.
        del document
        gc.collect()
        start = time.perf_counter()
        read_plan_file(path)
        read_once.append(time.perf_counter() - start)
        gc.collect()
    return {
        "open_ms": [_ms(t) for t in opens],
        "dumps_ms": [_ms(t) for t in dump_times],
        "snapshot_ms": [_ms(t) for t in snapshots],
        "read_once_ms": [_ms(t) for t in read_once],
    }


@dataclass
class _Session:
    """An opened plan and what the edits need to know about it."""

    document: Any
    rng: Random
    steps: list[tuple[str, str]]  # (action step id, strategy id)
    step_texts: dict[str, str]
    movable: list[str]  # strategies with at least two action steps
    goal_areas: list[str]
    goal_area_texts: dict[str, str]
    roles: list[str]
    samples: list[tuple[str, float]]
    applied: list[Any]
    counter: int = 0

    def timed(self, label: str, operation: Any) -> Any:
        start = time.perf_counter()
        applied = self.document.apply(operation)
        self.samples.append((label, time.perf_counter() - start))
        self.applied.append(applied)
        return applied

    def next_text(self, original: str) -> str:
        # About the length of what was there, as when a user rewords a sentence.
        self.counter += 1
        return f"{original.rstrip('.')}, revised in edit {self.counter}."


def _open_session(document: Any, rng: Random) -> _Session:
    plan = document.plan
    steps: list[tuple[str, str]] = []
    step_texts: dict[str, str] = {}
    movable: list[str] = []
    goal_areas: list[str] = []
    goal_area_texts: dict[str, str] = {}
    for area in plan.goal_areas:
        goal_areas.append(area.id)
        goal_area_texts[area.id] = area.need or area.description or area.title
        for objective in area.objectives:
            for strategy in objective.strategies:
                if len(strategy.action_steps) >= 2:
                    movable.append(strategy.id)
                for step in strategy.action_steps:
                    steps.append((step.id, strategy.id))
                    step_texts[step.id] = step.text
    roles = [role.id for role in plan.roles]
    if not (steps and movable and goal_areas and roles):
        raise RuntimeError("the generated plan lacks steps, strategies, goal areas or roles")
    return _Session(
        document, rng, steps, step_texts, movable, goal_areas, goal_area_texts, roles, [], []
    )


def _edit_step_text(session: _Session) -> None:
    from planstudio.model import UpdateItem

    step_id, _ = session.rng.choice(session.steps)
    text = session.next_text(session.step_texts[step_id])
    session.timed("update step text", UpdateItem("action_step", step_id, {"text": text}))


def _edit_goal_area(session: _Session) -> None:
    from planstudio.model import UpdateItem

    area_id = session.rng.choice(session.goal_areas)
    name = session.rng.choice(("need", "description", "goal"))
    text = session.next_text(session.goal_area_texts[area_id])
    session.timed("update goal area", UpdateItem("goal_area", area_id, {name: text}))


def _add_and_delete_step(session: _Session) -> None:
    from planstudio.model import AddItem, DeleteItem

    _, strategy_id = session.rng.choice(session.steps)
    text = session.next_text("Hold a follow-up coaching cycle for teachers new to the program")
    applied = session.timed("add step", AddItem("action_step", strategy_id, {"text": text}))
    session.timed("delete step", DeleteItem("action_step", applied.change.item_id))


def _move_step(session: _Session) -> None:
    from planstudio.model import MoveItem, Strategy

    strategy = session.document.get(Strategy, session.rng.choice(session.movable))
    steps = strategy.action_steps
    index = session.rng.randrange(len(steps))
    step_id = steps[index].id
    # The new index counts the siblings without the moved step: 0..len-1, other than its own.
    target = session.rng.choice([i for i in range(len(steps)) if i != index])
    session.timed("move step", MoveItem("action_step", step_id, strategy.id, target))


def _assign_or_unassign_role(session: _Session) -> None:
    from planstudio.model import ActionStep, DeleteItem, assign, find_link

    document, rng = session.document, session.rng
    step_id, _ = rng.choice(session.steps)
    step = document.get(ActionStep, step_id)
    assigned = [link.role_id for link in step.role_links]
    free = [role_id for role_id in session.roles if role_id not in assigned]
    if assigned and (not free or rng.random() < 0.5):
        link_id = find_link(document.session, step_id, "role_link", rng.choice(assigned))
        session.timed("unassign role", DeleteItem("role_link", link_id))
    else:
        session.timed("assign role", assign(step_id, "role_link", rng.choice(free)))


_LABELS = (
    "update step text",
    "update goal area",
    "add step",
    "delete step",
    "move step",
    "assign role",
    "unassign role",
)
# (scenario, weight, edits it makes)
_SCENARIOS: tuple[tuple[Callable[[_Session], None], int, int], ...] = (
    (_edit_step_text, 55, 1),
    (_edit_goal_area, 10, 1),
    (_add_and_delete_step, 10, 2),
    (_move_step, 10, 1),
    (_assign_or_unassign_role, 15, 1),
)


def _phase_session(work: Path, edits: int) -> dict[str, Any]:
    """Open the plan, make the edits, undo some, save: the peak memory of a working session."""
    from planstudio.model import PlanDocument

    path = work / SESSION_FILE
    shutil.copyfile(work / PLAN_FILE, path)
    document = PlanDocument.open(path)
    session = _open_session(document, Random(SEED))
    weights = [weight for _, weight, _ in _SCENARIOS]
    while len(session.samples) < edits:
        remaining = edits - len(session.samples)
        scenario, _, count = session.rng.choices(_SCENARIOS, weights)[0]
        if count > remaining:
            scenario = _edit_step_text
        scenario(session)

    undo_times = []
    for applied in reversed(session.applied[-UNDO_LIMIT:]):
        start = time.perf_counter()
        document.apply(applied.inverse)
        undo_times.append(time.perf_counter() - start)

    save_times = []
    for _ in range(SAVE_RUNS):
        _edit_step_text(session)  # an edit between saves, so that each has something to save
        start = time.perf_counter()
        document.save()
        save_times.append(time.perf_counter() - start)
    document.close()
    edit_samples = session.samples[:edits]
    return {
        "edits": [[label, _ms(seconds)] for label, seconds in edit_samples],
        "undo_ms": [_ms(t) for t in undo_times],
        "save_ms": [_ms(t) for t in save_times],
        "file_mb": path.stat().st_size / MB,
        "peak_rss_mb": _peak_rss_mb(),
    }


_PHASES: dict[str, Callable[[Path, int], dict[str, Any]]] = {
    "baseline": _phase_baseline,
    "import": _phase_import,
    "open": _phase_open,
    "session": _phase_session,
}


# ---------------------------------------------------------------------------- running


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_phase(phase: str, work: Path, edits: int) -> dict[str, Any]:
    result = work / f"{phase}.result.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", phase]
    command += ["--work", str(work), "--edits", str(edits)]
    subprocess.run(command, check=True)
    figures: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    return figures


def _planstudio_command() -> list[str]:
    """The installed `planstudio` command beside this interpreter, else `python -m planstudio`."""
    folder = Path(sys.executable).parent
    for name in ("planstudio", "planstudio.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    return [sys.executable, "-m", "planstudio"]


def _time_cli_dump(work: Path) -> list[float]:
    command = [*_planstudio_command(), "dump", str(work / PLAN_FILE), "-o", str(work / "out.json")]
    times = []
    for _ in range(CLI_DUMP_RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
        times.append(_ms(time.perf_counter() - start))
    if not (work / "out.json").is_file():
        raise RuntimeError("planstudio dump wrote no output")
    return times


def _counts(document: dict[str, Any]) -> dict[str, int]:
    areas = document.get("goal_areas", [])
    objectives = [o for a in areas for o in a.get("objectives", [])]
    strategies = [s for o in objectives for s in o.get("strategies", [])]
    return {
        "goal areas": len(areas),
        "objectives": len(objectives),
        "strategies": len(strategies),
        "action steps": sum(len(s.get("action_steps", [])) for s in strategies),
        "measures": sum(len(o.get("measures", [])) for o in objectives),
        "roles": len(document.get("roles", [])),
    }


def _measure_size(size: str, root: Path, edits: int) -> dict[str, Any]:
    from generate import generate_plan

    work = root / size
    work.mkdir()
    _progress(f"[{size}] generating the plan")
    document = generate_plan(size, SEED)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    (work / PLAN_JSON).write_bytes(text.encode("utf-8"))
    results: dict[str, Any] = {
        "counts": _counts(document),
        "json_mb": (work / PLAN_JSON).stat().st_size / MB,
    }
    del document, text
    for phase in ("import", "open", "session"):
        _progress(f"[{size}] {phase}")
        results[phase] = _run_phase(phase, work, edits)
    _progress(f"[{size}] planstudio dump (command line)")
    results["cli_dump_ms"] = _time_cli_dump(work)
    return results


# ---------------------------------------------------------------------------- reporting


@dataclass
class Row:
    figure: str
    value: float | None = None
    unit: str = "ms"
    target: float | None = None
    target_text: str = ""
    text: str | None = None  # shown instead of value

    def shown(self) -> str:
        if self.text is not None:
            return self.text
        return _format(self.value, self.unit)

    @property
    def missed(self) -> bool:
        return self.value is not None and self.target is not None and self.value > self.target


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ms":
        digits = 2 if value < 10 else 1 if value < 100 else 0
        return f"{value:,.{digits}f} ms"
    return f"{value:,.1f} {unit}"


# The figures that have targets, and that the stress plan compares with the district plan.
_MAIN = {
    "import": "import (from dict: build + save as + close)",
    "open": f"open (median of {OPEN_RUNS})",
    "edit_median": "one edit, median",
    "edit_p95": "one edit, 95th percentile",
    "undo": "undo, median",
    "save": f"save (median of {SAVE_RUNS})",
    "dumps": f"dump: interchange.dumps, fresh open (median of {OPEN_RUNS})",
    "dump_cli": f"dump: planstudio dump -o (median of {CLI_DUMP_RUNS})",
    "file_mb": "file size (.psplan after save)",
    "peak_session": "peak RSS: open + edits + save",
    "peak_import": "peak RSS: import",
}


def _figures(results: dict[str, Any]) -> dict[str, float | None]:
    edits = [ms for _, ms in results["session"]["edits"]]
    return {
        "import": results["import"]["import_ms"],
        "open": statistics.median(results["open"]["open_ms"]),
        "edit_median": statistics.median(edits),
        "edit_p95": _percentile(edits, 95),
        "undo": statistics.median(results["session"]["undo_ms"]),
        "save": statistics.median(results["session"]["save_ms"]),
        "dumps": statistics.median(results["open"]["dumps_ms"]),
        "dump_cli": statistics.median(results["cli_dump_ms"]),
        "file_mb": results["session"]["file_mb"],
        "peak_session": results["session"]["peak_rss_mb"],
        "peak_import": results["import"]["peak_rss_mb"],
    }


def _unit(key: str) -> str:
    return "MB" if key in {"file_mb", "peak_session", "peak_import"} else "ms"


def _target(size: str, key: str, district: dict[str, float | None] | None) -> tuple[Any, str]:
    """(limit, how it is shown) for one figure of one size."""
    if size == "district":
        limit = DISTRICT_TARGETS_MS.get(key)
        return (limit, f"≤ {_format(limit, 'ms')}") if limit is not None else (None, "")
    if key == "peak_session":
        return STRESS_PEAK_MB, f"≤ {_format(STRESS_PEAK_MB, 'MB')}"
    if key == "peak_import":
        return None, ""
    measured = district.get(key) if district else None
    if measured is not None:
        limit = STRESS_FACTOR * measured
        return limit, f"≤ {STRESS_FACTOR}× district = {_format(limit, _unit(key))}"
    if key in DISTRICT_TARGETS_MS:
        limit = STRESS_FACTOR * DISTRICT_TARGETS_MS[key]
        return limit, f"≤ {STRESS_FACTOR}× district target = {_format(limit, 'ms')}"
    return None, f"≤ {STRESS_FACTOR}× district (not measured)"


def _rows(
    size: str, results: dict[str, Any], district: dict[str, float | None] | None
) -> list[Row]:
    figures = _figures(results)

    def main(key: str, name: str | None = None) -> Row:
        limit, shown = _target(size, key, district)
        return Row(name or _MAIN[key], figures[key], _unit(key), limit, shown)

    imported, session = results["import"], results["session"]
    rows = [
        Row("JSON parse (interchange.parse)", imported["parse_ms"]),
        main("import"),
        Row("  from_interchange", imported["build_ms"]),
        Row("  save_as", imported["save_as_ms"]),
        Row("  close", imported["close_ms"]),
        main("open"),
        Row("  first open in a fresh process", results["open"]["open_ms"][0]),
        main("edit_median"),
        main("edit_p95"),
    ]
    by_label: dict[str, list[float]] = {}
    for label, ms in session["edits"]:
        by_label.setdefault(label, []).append(ms)
    for label in sorted(by_label, key=_LABELS.index):
        times = by_label[label]
        shown = f"{_format(statistics.median(times), 'ms')} median, {_format(max(times), 'ms')} max"
        rows.append(Row(f"  {label} (n={len(times)})", text=shown))
    rows += [
        Row("  max of all edits", max(ms for _, ms in session["edits"])),
        main("undo", f"undo, median (of the last {len(session['undo_ms'])} edits)"),
        main("save"),
        main("dumps"),
        # The fastest of the runs: these are what dump and export read, on a shared machine.
        Row(
            f"  snapshot (Core, no ORM), fastest of {OPEN_RUNS}",
            min(results["open"]["snapshot_ms"]),
        ),
        Row(
            f"  read once (as dump and export read a file), fastest of {OPEN_RUNS}",
            min(results["open"]["read_once_ms"]),
        ),
        main("dump_cli"),
        main("file_mb"),
        main("peak_session"),
        main("peak_import"),
    ]
    return rows


def _print_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(4, *(len(row[i]) for row in (header, *rows))) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    print(title)
    print(line(header).rstrip())
    print("-+-".join("-" * width for width in widths))
    for row in rows:
        print(line(row).rstrip())
    print()


def _print_size(size: str, results: dict[str, Any], district: Any, baseline: Any) -> None:
    counts = ", ".join(f"{count} {name}" for name, count in results["counts"].items())
    title = f"{size} plan ({counts}; JSON {results['json_mb']:.1f} MB, seed {SEED})"
    rows = _rows(size, results, district)
    rows.append(Row("  interpreter + model imported", baseline, "MB"))
    table = [
        (row.figure, row.shown(), row.target_text, "MISS" if row.missed else "") for row in rows
    ]
    _print_table(title, ("figure", "value", "target", ""), table)


def _print_ratios(district: dict[str, Any], stress: dict[str, Any]) -> None:
    table = []
    for key, name in _MAIN.items():
        low, high = district[key], stress[key]
        ratio = f"{high / low:.1f}×" if low and high is not None else "n/a"
        table.append((name, _format(low, _unit(key)), _format(high, _unit(key)), ratio))
    _print_table("stress / district", ("figure", "district", "stress", "ratio"), table)


# ---------------------------------------------------------------------------- main


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("district", "stress", "both"), default="district")
    parser.add_argument("--edits", type=_positive, default=200, help="edits to time (200)")
    # Internal: run one phase in this (fresh) process and write its figures beside the plan.
    parser.add_argument("--phase", choices=sorted(_PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        if args.work is None:
            parser.error("--phase needs --work")
        os.environ.setdefault("PLANSTUDIO_HOME", str(args.work / "home"))
        figures = _PHASES[args.phase](args.work, args.edits)
        result = args.work / f"{args.phase}.result.json"
        result.write_text(json.dumps(figures), encoding="utf-8")
        return 0

    sizes = ("district", "stress") if args.size == "both" else (args.size,)
    with tempfile.TemporaryDirectory(prefix="planstudio-bench-") as folder:
        root = Path(folder)
        # Recovery copies and locks; the children (and `planstudio dump`) inherit it.
        os.environ["PLANSTUDIO_HOME"] = str(root / "home")
        baseline = _run_phase("baseline", root, args.edits)
        results = {size: _measure_size(size, root, args.edits) for size in sizes}

    print()
    print(
        f"Plan Studio {baseline['version']} model benchmark ({baseline['where']}): "
        f"{args.edits} edits, Python {sys.version.split()[0]}"
    )
    print()
    district = _figures(results["district"]) if "district" in results else None
    for size in sizes:
        _print_size(size, results[size], district, baseline["peak_rss_mb"])
    if district is not None and "stress" in results:
        _print_ratios(district, _figures(results["stress"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
