"""How fast this machine is right now: one fixed piece of pure Python, timed.

The same machine has run the same export 30-50 % slower from one hour to the next (another
tenant, a slower host). Every benchmark prints this figure first, so that two tables can be
compared only when their reference figures agree, and a change is judged on runs taken
side by side, never against a figure from another day.
"""

from __future__ import annotations

import time
import zlib


def _workload() -> int:
    # Roughly what an export does: words measured in a dict, strings built and joined,
    # small objects made and dropped, a buffer compressed.
    widths = {chr(c): (c * 37) % 1000 for c in range(32, 0x250)}
    words = [f"word{i % 997}é" for i in range(20_000)]
    total = 0
    lines = []
    for round_ in range(12):
        for word in words:
            total += sum(map(widths.__getitem__, word))
        lines.append(" ".join(f"{w}:{round_}" for w in words[:5000]))
    total += len(zlib.compress("\n".join(lines).encode(), 6))
    return total


def reference_ms(runs: int = 3) -> float:
    """Milliseconds the workload takes, the fastest of `runs` (about 0.1-0.2 s each)."""
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        _workload()
        best = min(best, time.perf_counter() - began)
    return best * 1000


def describe() -> str:
    return (
        f"machine reference: {reference_ms():.0f} ms for a fixed piece of Python "
        "(compare tables only when this agrees)"
    )


if __name__ == "__main__":
    print(describe())
