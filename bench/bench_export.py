"""Benchmark Word and PDF export of the synthetic district and stress plans.

Prints one table per plan size (figure | value | target, and MISS beside a figure that
misses its target) and never asserts: the exit status is 0 unless something crashes.

Each export runs in a fresh Python process (this script again, with a hidden ``--phase``
flag), which opens the plan read-only and calls ``export_plan`` as the command line does;
its peak memory (ru_maxrss) is the child's whole peak, the opened plan included.  Time is
the export alone, split into snapshot (reading the plan), layout (building the document)
and write (the writer, including the atomic rename).  When LibreOffice's ``soffice`` is on
the PATH, it converts our .docx to PDF as a yardstick for our own PDF writer: the target
is our PDF time at most a tenth of LibreOffice's.  MB here means 2**20 bytes.

Usage::

    python bench/bench_export.py [--size district|stress|both] [--layouts own|both]
                                 [--soffice-stress]
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

SEED = 1
MB = 2**20
TARGETS = {
    # seconds, MB
    "district": (1.0, None),
    "stress": (10.0, 300.0),
}
SOFFICE_RATIO_TARGET = 0.1
COUNTS = {"district": 400, "stress": 4000}


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


def _soffice_seconds(work: Path, docx: Path) -> float | None:
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
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, timeout=1800)
    return time.perf_counter() - start


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


def _measure(size: str, root: Path, layouts: list[str], soffice_stress: bool) -> None:
    work = root / size
    work.mkdir()
    print(f"[{size}] preparing the plan …", file=sys.stderr, flush=True)
    _run_phase(work, "prepare", size)
    seconds_target, mb_target = TARGETS[size]
    rows: list[tuple[str, str, str, str]] = []
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for layout in layouts:
        for fmt in ("docx", "pdf"):
            print(f"[{size}] {fmt} {layout} …", file=sys.stderr, flush=True)
            try:
                figures = _run_phase(work, "export", size, fmt, layout)
            except subprocess.CalledProcessError:
                rows.append((f"{fmt} {layout}", "failed", f"≤ {seconds_target:g} s", "MISS"))
                continue
            results[(fmt, layout)] = figures
            total = figures["total"]
            rows.append(
                (
                    f"{fmt} {layout}: time",
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
            rows.append((f"{fmt} {layout}: file size", f"{figures['bytes'] / MB:.1f} MB", "", ""))
    if size == "district" or soffice_stress:
        for layout in layouts:
            docx = work / f"{size}-{layout}.docx"
            ours = results.get(("pdf", layout))
            if not docx.exists():
                continue
            print(f"[{size}] soffice {layout} …", file=sys.stderr, flush=True)
            seconds = _soffice_seconds(work, docx)
            if seconds is None:
                rows.append(("soffice --convert-to pdf", "not installed", "", ""))
                break
            rows.append((f"soffice docx→pdf {layout}", f"{seconds:.2f} s", "", ""))
            if ours is not None:
                ratio = ours["total"] / seconds
                rows.append(
                    (
                        f"our pdf / soffice {layout}",
                        f"{ratio:.3f}",
                        f"≤ {SOFFICE_RATIO_TARGET:g}",
                        "MISS" if ratio > SOFFICE_RATIO_TARGET else "",
                    )
                )
    _print_table(f"Export, {size} plan ({COUNTS[size]:,} action steps)", rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Word and PDF export.")
    parser.add_argument("--size", choices=("district", "stress", "both"), default="both")
    parser.add_argument(
        "--layouts",
        choices=("own", "both"),
        default="both",
        help="own: the plan's own layout (ga-dip); both: also strategic-plan",
    )
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
    root = Path(tempfile.mkdtemp(prefix="planstudio-bench-export-"))
    os.environ["PLANSTUDIO_HOME"] = str(root / "home")
    (root / "home").mkdir()
    try:
        for size in sizes:
            _measure(size, root, layouts, args.soffice_stress)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
