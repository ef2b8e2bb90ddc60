"""Build resources/samples/charlotte-mecklenburg-annual-plan.json from the seed text.

The seed is the text of Charlotte-Mecklenburg Schools' 2024-25 annual plan as published
(pillars, priorities, strategies with their key levers, implementation phases, goals with
annual targets, guardrail measures by student group).  Run from the checkout's root:

    python docs/tools/charlotte_sample.py /work/shared/seeds/charlotte-mecklenburg-annual-plan-2024-25.txt
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

BULLETS = "•●"
SUB_BULLETS = "◦○"


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def _year(month_year: str) -> str:
    """'June 2025' → '2024-25' (the school year that ends then)."""
    year = int(month_year.split()[-1])
    return f"{year - 1}-{year % 100:02d}"


def _strategies(body: str) -> list[dict[str, Any]]:
    """'<p>strategy</p> <ul> • lever • lever ◦ sub …' (or without <p>) → strategies."""
    out: list[dict[str, Any]] = []
    pieces = re.split(r"<p>(.*?)</p>", body) if "<p>" in body else ["", *body.split("<ul", 1)]
    if "<p>" not in body:
        text, rest = pieces[1], ("<ul" + pieces[2]) if len(pieces) > 2 else ""
        pieces = ["", text, rest]
    for index in range(1, len(pieces), 2):
        text = _clean(pieces[index])
        levers_text = pieces[index + 1] if index + 1 < len(pieces) else ""
        levers: list[str] = []
        flat = re.sub(r"<[^>]+>", " ", levers_text)
        for part in re.split(f"[{BULLETS}]", flat):
            part = " ".join(part.split())
            if not part:
                continue
            head, *subs = re.split(f"[{SUB_BULLETS}]", part)
            head = head.strip()
            subs = [" ".join(s.split()) for s in subs if s.strip()]
            lever = head + ("".join(f"\n– {s}" for s in subs) if subs else "")
            if lever.strip():
                levers.append(lever.strip())
        steps = [{"text": t} for t in levers]
        if text.startswith(("In addition to implementing", "To augment")) and out:
            # A note inside the strategy before it, followed by more of its key levers.
            out[-1]["text"] += "\n" + text
            out[-1]["action_steps"] += steps
        elif text:
            out.append({"text": text, "action_steps": steps})
    return out


def _phases(line: str) -> list[dict[str, str]]:
    found = re.findall(r"(\d\d)-(\d\d)\s+(Planning|Initial|Full|Sustained)", line)
    return [{"year": f"20{a}-{b}", "phase": phase.lower()} for a, b, phase in found]


def parse(text: str) -> dict[str, Any]:
    lines = text.splitlines()
    areas: dict[str, dict[str, Any]] = {}
    area: dict[str, Any] | None = None
    objective: dict[str, Any] | None = None
    objectives: dict[str, dict[str, Any]] = {}
    in_strategies = False
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        plain = _clean(line)
        if plain.startswith("Pillar: "):
            name = plain.removeprefix("Pillar: ")
            area = areas.setdefault(name, {"title": name, "objectives": []})
            in_strategies = False
            continue
        if (
            area is not None
            and "description" not in area
            and plain.startswith(
                ("Educating", "Improving", "Enhancing", "Enabling", "Being", "Building")
            )
        ):
            area["description"] = plain
        match = re.match(r"PRIORITY (\w+)( continued)?:\s*(.*)", plain)
        if match and area is not None:
            key = match.group(1)
            objective = objectives.get(key)
            if objective is None:
                objective = {"statement": f"{key}: {match.group(3)}", "strategies": []}
                objectives[key] = objective
                area["objectives"].append(objective)
            in_strategies = False
            continue
        if objective is None:
            continue
        label = re.match(r"\s*(?:<p>)?\s*(STRATEG(?:IES|Y)):?\s*(?:</p>)?", line)
        if label and "STRATEG" in plain[:12]:
            in_strategies = True
            objective["strategies"] += _strategies(line[label.end() :])
            continue
        if plain.startswith("IMPLEMENTATION PHASE"):
            in_strategies = False
            phases = _phases(plain)
            for strategy in objective["strategies"]:
                if phases and not strategy.get("phases"):
                    strategy["phases"] = phases
            continue
        if in_strategies and raw.startswith("\t"):
            more = _strategies(line.strip())
            if more and more[0]["text"].startswith(("In addition to implementing", "To augment")):
                if objective["strategies"]:
                    objective["strategies"][-1]["text"] += "\n" + more[0]["text"]
                    objective["strategies"][-1]["action_steps"] += more[0]["action_steps"]
                    more = more[1:]
            objective["strategies"] += more
    plan_areas = list(areas.values())
    _measures(text, objectives)
    # The plan's years are those of its 2024-29 goals: the first annual target is due in
    # June 2024 (the 2023-24 school year), the last in June 2029 (2028-29).
    years = sorted(
        point["year"]
        for objective in objectives.values()
        for measure in objective.get("measures", [])
        for point in measure["targets"]
    )
    return {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {
            "title": "Annual Plan 2024-2025",
            "organization": "Charlotte-Mecklenburg Schools",
            "state": "NC",
            "layout": "strategic-plan",
            "first_year": years[0],
            "last_year": years[-1],
            "level_labels": ["Pillar", "Priority", "Strategy", "Key Lever"],
            "mission": _after(text, "MISSION"),
            "vision": _after(text, "VISION"),
        },
        "goal_areas": plan_areas,
    }


def _after(text: str, heading: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(heading) + 1
    return next(line for line in lines[start:] if line)


def _point(year: str, shown: str) -> dict[str, Any]:
    number = re.fullmatch(r"(\d+(?:\.\d+)?)%", shown.strip())
    if number:
        return {"year": year, "value": float(number.group(1))}
    return {"year": year, "value": None, "note": shown.strip()}


def _measures(text: str, objectives: dict[str, dict[str, Any]]) -> None:
    """Goals 1-4 with their annual targets, and the guardrail measures by student group."""
    block = text.split("2024-29 Goals and Annual Targets", 1)[1].split("2024-25 Goal Interim", 1)[0]
    goals: list[dict[str, Any]] = []
    for line in block.splitlines():
        cells = line.split("\t")
        if cells and "Goal " in cells[0] and len(cells) >= 4:
            name = _clean(cells[0]).lstrip("➤ ").strip()
            goals.append(
                {
                    "name": name,
                    "unit": "percent",
                    "direction": "increase",
                    "baseline": _point("2022-23", cells[1]),
                    "targets": [_point(_year(cells[3]), cells[2])],
                }
            )
        elif goals and len(cells) >= 4 and cells[2].strip():
            goals[-1]["targets"].append(_point(_year(cells[3]), cells[2]))
    objectives["Ae1"]["measures"] = goals[:3]
    objectives["Ae2"]["measures"] = goals[3:]

    groups_block = text.split("➤ Guardrail 1:", 1)[1].split("To ensure academic improvement", 1)[0]
    measures: list[dict[str, Any]] = []
    name = ""
    for line in groups_block.splitlines():
        cells = [c for c in line.split("\t")]
        if len(cells) >= 3 and cells[0].startswith("%"):
            name = _clean(cells[0]).replace(", by student group,", "")
            continue
        if name and len(cells) >= 3 and cells[0].strip() and cells[1].strip():
            measures.append(
                {
                    "name": name,
                    "student_group": cells[0].strip(),
                    "unit": "percent",
                    "direction": "increase",
                    "baseline": _point("2022-23", cells[1]),
                    "targets": [_point("2024-25", cells[2])],
                }
            )
    objectives["Ae3"]["measures"] = measures


def main() -> None:
    document = parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path("resources/samples/charlotte-mecklenburg-annual-plan.json")
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    areas = document["goal_areas"]
    objectives = [o for a in areas for o in a["objectives"]]
    strategies = [s for o in objectives for s in o["strategies"]]
    steps = [x for s in strategies for x in s["action_steps"]]
    measures = [m for o in objectives for m in o.get("measures", [])]
    print(
        len(areas),
        "pillars,",
        len(objectives),
        "priorities,",
        len(strategies),
        "strategies,",
        len(steps),
        "key levers,",
        len(measures),
        "measures",
    )


if __name__ == "__main__":
    main()
