"""Smoke test of a built Plan Studio: `python installers/smoke.py DIST`.

DIST is the folder installers/build.py made (dist/planstudio, or dist itself; on macOS the
.app works too). The build is copied to a temporary folder and run there with a clean
environment: no Python on PATH, no PYTHONPATH, HOME and PLANSTUDIO_HOME in the temporary
folder. It runs --version, new, import of every shipped sample, dump, check, export of every
layout in both formats (reading the documents' text back with pypdf and python-docx from
this Python, and checking that the PDFs embed the bundled fonts), then opens the window on a
sample offscreen, waits until it is up and closes it. On Linux it also runs install.sh and
its --uninstall in the temporary home. Exit status 0 when every step passed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from planstudio import __version__  # noqa: E402
from planstudio.model.vocabulary import EXPORT_LAYOUTS  # noqa: E402

TIMEOUT_S = 180


class SmokeFailure(Exception):
    pass


def program_in(folder: Path) -> Path:
    """The command-line program of a build: the console twin on Windows."""
    if folder.suffix == ".app":
        return folder / "Contents" / "MacOS" / "planstudio"
    if sys.platform == "win32":
        return folder / "planstudio.exe"
    return folder / "planstudio"


def find_build(dist: Path) -> Path:
    """The build to test: on macOS the .app a user installs, elsewhere the folder."""
    candidates = [dist, dist / "planstudio"]
    if sys.platform == "darwin":
        candidates.insert(0, dist / "Plan Studio.app")
    for candidate in candidates:
        if program_in(candidate).is_file():
            return candidate
    raise SmokeFailure(f"no built Plan Studio in {dist} (run installers/build.py first)")


def clean_environment(home: Path) -> dict[str, str]:
    """What a fresh desktop session gives a program: no Python anywhere, a home of its own."""
    empty_bin = home / "bin"
    empty_bin.mkdir(exist_ok=True)
    env = {
        "PATH": str(empty_bin),
        "HOME": str(home),
        "USERPROFILE": str(home),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
        "TEMP": str(home / "tmp"),
        "TMP": str(home / "tmp"),
        "PLANSTUDIO_HOME": str(home / "planstudio-home"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    (home / "tmp").mkdir(exist_ok=True)
    for name in ("SYSTEMROOT", "WINDIR", "COMSPEC"):  # Windows cannot start a program without
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class Smoke:
    def __init__(self, build: Path, home: Path) -> None:
        self.program = program_in(build)
        self.build = build
        self.home = home
        self.env = clean_environment(home)
        self.plans = home / "plans"
        self.plans.mkdir()

    def run(self, *args: str, expect: Sequence[int] = (0,), **extra: str) -> str:
        started = time.monotonic()
        done = subprocess.run(
            [str(self.program), *args], cwd=self.home, env={**self.env, **extra},
            capture_output=True, timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        out = done.stdout.decode("utf-8", "replace")
        err = done.stderr.decode("utf-8", "replace")
        if done.returncode not in expect:
            raise SmokeFailure(
                f"planstudio {' '.join(args)}: exit {done.returncode}\n{out[-2000:]}{err[-2000:]}"
            )
        if "Traceback" in err:
            raise SmokeFailure(f"planstudio {' '.join(args)}: a traceback\n{err[-3000:]}")
        shown = " ".join(arg.replace(f"{self.home.parent}{os.sep}", "") for arg in args)
        print(f"ok  {elapsed:5.2f} s  planstudio {shown}", flush=True)
        return out

    def samples(self) -> list[Path]:
        # A macOS .app reaches its resources by two paths (Resources and a link in Frameworks).
        found = {path.name: path for path in self.build.rglob("planstudio/resources/samples/*")}
        if not found:
            raise SmokeFailure("the build ships no samples")
        return [found[name] for name in sorted(found)]

    def check_all(self) -> None:
        version = self.run("--version").strip()
        if version != f"Plan Studio {__version__}":
            raise SmokeFailure(f"--version said {version!r}, not Plan Studio {__version__}")
        self.run("new", str(self.plans / "empty.psplan"), "--title", "Smoke test plan")
        self.run("check", str(self.plans / "empty.psplan"), expect=(0, 1))
        for shipped in ("guide/guide.html", "plan.schema.json", "fonts/DejaVuSans.ttf"):
            if not any(self.build.rglob(f"planstudio/resources/{shipped}")):
                raise SmokeFailure(f"the build does not ship resources/{shipped}")
        for sample in self.samples():
            self.check_sample(sample)
        self.check_window(self.plans / f"{self.samples()[0].stem}.psplan")
        log = Path(self.env["PLANSTUDIO_HOME"]) / "planstudio-errors.log"
        if log.exists():
            raise SmokeFailure(f"the program logged unexpected errors:\n{log.read_text()}")
        if sys.platform.startswith("linux"):
            self.check_linux_install()

    def check_sample(self, sample: Path) -> None:
        source = json.loads(sample.read_text(encoding="utf-8"))
        title = source["plan"]["title"]
        plan = self.plans / f"{sample.stem}.psplan"
        self.run("import", str(sample), "-o", str(plan))
        dumped = json.loads(self.run("dump", str(plan)))
        if dumped["plan"]["title"] != title or len(dumped["goal_areas"]) != len(
            source["goal_areas"]
        ):
            raise SmokeFailure(f"{sample.name}: the dump is not the sample that was imported")
        self.run("check", str(plan), expect=(0, 1))
        for layout in EXPORT_LAYOUTS:
            for kind in ("docx", "pdf"):
                out = self.plans / f"{sample.stem}-{layout}.{kind}"
                self.run("export", str(plan), "--format", kind, "--layout", layout, "-o", str(out))
                text = read_back(out)
                if squeeze(title) not in squeeze(text):
                    raise SmokeFailure(f"{out.name}: the plan's title {title!r} is not in it")

    def check_window(self, plan: Path) -> None:
        said = self.run(str(plan), PLANSTUDIO_QUIT_WHEN_READY="1").strip()
        if said != f"ready: {plan.name} — Plan Studio":
            raise SmokeFailure(f"the window did not come up on {plan.name}: {said!r}")
        windowed = self.build / "Plan Studio.exe"
        if windowed.is_file():
            # Windows: the program the Start menu and a double-clicked plan start has no
            # console to say "ready" on, so its exit status tells.
            self.program, console = windowed, self.program
            try:
                self.run(str(plan), PLANSTUDIO_QUIT_WHEN_READY="1")
            finally:
                self.program = console

    def check_linux_install(self) -> None:
        data = Path(self.env["XDG_DATA_HOME"])
        env = {**self.env, "PATH": f"{self.env['PATH']}:/usr/bin:/bin"}
        subprocess.run([str(self.build / "install.sh")], env=env, check=True, timeout=120,
                       capture_output=True)  # fmt: skip
        for wanted in ("applications/planstudio.desktop", "mime/packages/planstudio.xml",
                       "icons/hicolor/48x48/apps/planstudio.png",
                       "icons/hicolor/48x48/mimetypes/application-x-planstudio.png"):  # fmt: skip
            if not (data / wanted).is_file():
                raise SmokeFailure(f"install.sh did not install {wanted}")
        installed = self.home / ".local" / "bin" / "planstudio"
        done = subprocess.run([str(installed), "--version"], env=self.env, capture_output=True,
                              timeout=TIMEOUT_S, check=False)  # fmt: skip
        if done.stdout.decode().strip() != f"Plan Studio {__version__}":
            raise SmokeFailure(f"the installed command does not run: {done.stderr.decode()}")
        print("ok          install.sh (menu entry, icons, .psplan type, command)", flush=True)
        subprocess.run([str(self.build / "install.sh"), "--uninstall"], env=env, check=True,
                       timeout=120, capture_output=True)  # fmt: skip
        if installed.exists() or (data / "applications" / "planstudio.desktop").exists():
            raise SmokeFailure("install.sh --uninstall left Plan Studio installed")
        if not Path(self.env["PLANSTUDIO_HOME"]).is_dir():
            raise SmokeFailure("install.sh --uninstall removed the user's data folder")
        print("ok          install.sh --uninstall", flush=True)


def squeeze(text: str) -> str:
    """Text without its whitespace: a PDF breaks lines where it likes."""
    return "".join(text.split())


def read_back(document: Path) -> str:
    if document.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(document)
        fonts = {
            str(font.get_object().get("/BaseFont", ""))
            for page in reader.pages
            for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        }
        if not any("DejaVu" in font for font in fonts):
            raise SmokeFailure(f"{document.name} does not embed the bundled fonts: {fonts}")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    from docx import Document

    word = Document(str(document))
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in word.sections:
        parts.extend(paragraph.text for paragraph in section.header.paragraphs)
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python installers/smoke.py DIST", file=sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="planstudio-smoke-") as temporary:
        try:
            build = find_build(Path(args[0]))
            copy = Path(temporary) / build.name
            shutil.copytree(build, copy, symlinks=True)
            home = Path(temporary) / "home"
            home.mkdir()
            Smoke(copy, home).check_all()
        except (SmokeFailure, subprocess.SubprocessError, OSError) as failure:
            print(f"SMOKE FAILED: {failure}", file=sys.stderr)
            return 1
    print(f"smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
