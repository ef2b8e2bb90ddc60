"""Benchmark Word and PDF export of the synthetic district and stress plans.

Prints one table per plan size (figure | value | target, and MISS beside a figure that
misses its target), then a table of whole processes beside LibreOffice's, and never
asserts: the exit status is 0 unless something crashes.

Two times are given for each export, each the minimum of ``--repeat`` runs:

* in-process: a fresh Python process (this script again, with a hidden ``--phase`` flag)
  opens the plan read-only and calls ``export_plan`` as the command line does; the time is
  the export alone, split into snapshot (reading the plan), layout (building the document)
  and write (the writer, including the atomic rename); its peak memory (ru_maxrss) is the
  child's whole peak, the opened plan included;
* whole process: ``python -m planstudio export …`` timed from outside, start-up included,
  as a user running the command sees it.

When LibreOffice's ``soffice`` is on the PATH, it converts our .docx to PDF (a whole
process too, its profile made beforehand) as a yardstick for our own PDF writer, compared
whole process with whole process: the target is ours at most a tenth of LibreOffice's.
MB here means 2**20 bytes.

Usage::

    python bench/bench_export.py [--size district|stress|both] [--layouts own|both]
                                 [--repeat N] [--soffice-stress]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compiled import run_with_bytecode  # noqa: E402 - found through the line above
from machine import describe as describe_machine  # noqa: E402 - the same

SEED = 1
MB = 2**20
TARGETS = {
    # seconds, MB
    "district": (1.0, None),
    "stress": (10.0, 300.0),
}
SOFFICE_RATIO_TARGET = 0.1
COUNTS = {"district": 400, "stress": 4000}


def _accelerator() -> str:
    """Whether reportlab runs its C helpers (the rl_accel package) or their Python twins."""
    from reportlab.lib import rl_accel

    if not rl_accel._c_funcs:
        return "not installed (pure-Python helpers)"
    missing = sorted(rl_accel._py_funcs)
    return "in use" + (f", except {', '.join(missing)}" if missing else "")


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak * 1024 / MB


# ---------------------------------------------------------------------------- child phases


def _phase_prepare(work: Path, size: str) -> dict[str, Any]:
    from generate import generate_plan
    from planstudio.model import PlanDocument

    document = generate_plan(size, SEED)
    with PlanDocument.from_interchange(document) as plan:
        plan.save_as(work / f"{size}.psplan")
    return {}


def _phase_export(work: Path, size: str, fmt: str, layout: str) -> dict[str, Any]:
    from planstudio.export import export_plan
    from planstudio.model import PlanDocument

    out = work / f"{size}-{layout}.{fmt}"
    marks: list[tuple[float, float]] = []
    with PlanDocument.open(work / f"{size}.psplan", read_only=True) as document:
        before = _peak_rss_mb()

        def progress(fraction: float) -> None:
            marks.append((time.perf_counter(), fraction))

        start = time.perf_counter()
        export_plan(document.plan, fmt, out, layout=layout, progress=progress)
        end = time.perf_counter()
    # export_snapshot reports 0.0 once the snapshot is taken and 0.05 once the layout is
    # built; everything after is the writer.
    snapshot_done = next(t for t, f in marks if f == 0.0)
    layout_done = next(t for t, f in marks if f >= 0.05)
    return {
        "total": end - start,
        "snapshot": snapshot_done - start,
        "layout": layout_done - snapshot_done,
        "write": end - layout_done,
        "peak_mb": _peak_rss_mb(),
        "open_peak_mb": before,
        "bytes": out.stat().st_size,
    }


def _run_phase(work: Path, *arguments: str) -> dict[str, Any]:
    result = work / "result.json"
    command = [sys.executable, __file__, "--phase", *arguments, "--work", str(work)]
    subprocess.run(command, check=True)
    return json.loads(result.read_text(encoding="utf-8"))


def _whole_process(work: Path, size: str, fmt: str, layout: str) -> tuple[float, float]:
    """Seconds and peak MB of one ``python -m planstudio export`` process."""
    out = work / f"{size}-{layout}-whole.{fmt}"
    command = [
        sys.executable, "-m", "planstudio", "export", str(work / f"{size}.psplan"),
        "--format", fmt, "--layout", layout, "-o", str(out),
    ]  # fmt: skip
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), command)
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / MB
    return seconds, peak


def _soffice_seconds(work: Path, docx: Path, repeat: int) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    profile = work / "soffice-profile"
    outdir = work / "soffice-out"
    outdir.mkdir(exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]
    # A first run creates LibreOffice's profile, which is not conversion work: warm it up.
    if not profile.exists():
        subprocess.run(command, check=False, capture_output=True, timeout=1800)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True, timeout=1800)
        times.append(time.perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------------------- report


def _print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    header = ("figure", "value", "target", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    print(f"\n{title}")
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line.rstrip())
    print("-" * len(line))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _print_whole(title: str, rows: list[tuple[str, str, str, str, str]]) -> None:
    header = ("export", "in-process", "whole process", "peak MB (whole)", "file MB")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    print(f"\n{title}")
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _measure(size: str, root: Path, layouts: list[str], soffice_stress: bool, repeat: int) -> None:
    work = root / size
    work.mkdir()
    print(f"[{size}] preparing the plan …", file=sys.stderr, flush=True)
    _run_phase(work, "prepare", size)
    seconds_target, mb_target = TARGETS[size]
    rows: list[tuple[str, str, str, str]] = []
    whole_rows: list[tuple[str, str, str, str, str]] = []
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for layout in layouts:
        for fmt in ("docx", "pdf"):
            print(f"[{size}] {fmt} {layout} …", file=sys.stderr, flush=True)
            try:
                runs = [_run_phase(work, "export", size, fmt, layout) for _ in range(repeat)]
                wholes = [_whole_process(work, size, fmt, layout) for _ in range(repeat)]
            except subprocess.CalledProcessError:
                rows.append((f"{fmt} {layout}", "failed", f"≤ {seconds_target:g} s", "MISS"))
                continue
            figures = min(runs, key=lambda run: run["total"])
            figures["whole"] = min(seconds for seconds, _ in wholes)
            figures["whole_peak_mb"] = max(peak for _, peak in wholes)
            results[(fmt, layout)] = figures
            whole_rows.append(
                (
                    f"{fmt} {layout}",
                    f"{figures['total']:.2f} s",
                    f"{figures['whole']:.2f} s",
                    f"{figures['whole_peak_mb']:.0f}",
                    f"{figures['bytes'] / MB:.1f}",
                )
            )
            total = figures["total"]
            rows.append(
                (
                    f"{fmt} {layout}: time (in-process)",
                    f"{total:.2f} s",
                    f"≤ {seconds_target:g} s",
                    "MISS" if total > seconds_target else "",
                )
            )
            rows.append(
                (
                    "  snapshot / layout / write",
                    f"{figures['snapshot']:.2f} / {figures['layout']:.2f} / "
                    f"{figures['write']:.2f} s",
                    "",
                    "",
                )
            )
            peak = figures["peak_mb"]
            if peak is not None:
                missed = mb_target is not None and peak > mb_target
                rows.append(
                    (
                        f"{fmt} {layout}: peak memory",
                        f"{peak:.0f} MB (plan open: {figures['open_peak_mb']:.0f})",
                        f"≤ {mb_target:g} MB" if mb_target else "",
                        "MISS" if missed else "",
                    )
                )
            rows.append(
                (f"{fmt} {layout}: time (whole process)", f"{figures['whole']:.2f} s", "", "")
            )
            rows.append((f"{fmt} {layout}: file size", f"{figures['bytes'] / MB:.1f} MB", "", ""))
    soffice_rows: list[tuple[str, str, str, str, str]] = []
    if size == "district" or soffice_stress:
        for layout in layouts:
            docx = work / f"{size}-{layout}.docx"
            ours = results.get(("pdf", layout))
            if not docx.exists():
                continue
            print(f"[{size}] soffice {layout} …", file=sys.stderr, flush=True)
            seconds = _soffice_seconds(work, docx, repeat)
            if seconds is None:
                print("LibreOffice not installed", file=sys.stderr)
                rows.append(("soffice --convert-to pdf", "LibreOffice not installed", "", ""))
                break
            soffice_rows.append((f"LibreOffice docx→pdf {layout}", "", f"{seconds:.2f} s", "", ""))
            rows.append((f"soffice docx→pdf {layout} (whole process)", f"{seconds:.2f} s", "", ""))
            if ours is not None:
                ratio = ours["whole"] / seconds
                rows.append(
                    (
                        f"our pdf / soffice {layout} (whole / whole)",
                        f"{ratio:.3f}",
                        f"≤ {SOFFICE_RATIO_TARGET:g}",
                        "MISS" if ratio > SOFFICE_RATIO_TARGET else "",
                    )
                )
    elif shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        print("LibreOffice not installed", file=sys.stderr)
    title = f"Export, {size} plan ({COUNTS[size]:,} action steps), min of {repeat}"
    _print_table(title, rows)
    _print_whole(
        f"Whole process beside in-process, {size} plan (seconds, min of {repeat})",
        [*whole_rows, *soffice_rows],
    )


def main(argv: list[str] | None = None) -> int:
    run_with_bytecode()  # timed as installed: compiled, not compiling
    parser = argparse.ArgumentParser(description="Benchmark Word and PDF export.")
    parser.add_argument("--size", choices=("district", "stress", "both"), default="both")
    parser.add_argument(
        "--layouts",
        choices=("own", "both"),
        default="both",
        help="own: the plan's own layout (ga-dip); both: also strategic-plan",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (minimum shown)")
    parser.add_argument(
        "--soffice-stress", action="store_true", help="also time LibreOffice on the stress plan"
    )
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        work = Path(args.work)
        phase, *rest = args.phase
        handler = {"prepare": _phase_prepare, "export": _phase_export}[phase]
        figures = handler(work, *rest)
        (work / "result.json").write_text(json.dumps(figures), encoding="utf-8")
        return 0

    sizes = ["district", "stress"] if args.size == "both" else [args.size]
    layouts = ["ga-dip", "strategic-plan"] if args.layouts == "both" else ["ga-dip"]
    print(describe_machine())
    print(f"reportlab's C accelerator (rl_accel): {_accelerator()}")
    root = Path(tempfile.mkdtemp(prefix="planstudio-bench-export-"))
    os.environ["PLANSTUDIO_HOME"] = str(root / "home")
    (root / "home").mkdir()
    try:
        for size in sizes:
            _measure(size, root, layouts, args.soffice_stress, max(args.repeat, 1))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
