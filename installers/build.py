"""Builds Plan Studio for the platform this runs on: `python installers/build.py`.

PyInstaller makes one self-contained folder (onedir) in dist/planstudio; then, per platform:
Linux packs it with its menu entry, icons, .psplan file type and install.sh into
dist/planstudio-VERSION-linux-ARCH.tar.gz; macOS makes dist/Plan Studio.app and
dist/PlanStudio-VERSION-macos.dmg (hdiutil); Windows runs Inno Setup (iscc, when installed)
to make dist/PlanStudio-VERSION-setup.exe. It ends with the build's figures.
Needs the build extra: pip install -e ".[build]".
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ROOT / "installers"
sys.path.insert(0, str(ROOT / "src"))
from planstudio import __version__  # noqa: E402

NAME = "planstudio"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def folder_size(folder: Path) -> int:
    """Bytes on disk: PyInstaller links some libraries twice by symbolic link; count them once."""
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def pyinstaller(dist: Path, work: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('build.py: PyInstaller is not installed; run: pip install -e ".[build]"')
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(INSTALLERS / "planstudio.spec")],
        check=True,
    )  # fmt: skip


def linux_package(folder: Path, dist: Path) -> Path:
    """The folder with what install.sh needs beside it, packed as a .tar.gz."""
    share = folder / "share"
    (share / "icons").mkdir(parents=True, exist_ok=True)
    shutil.copy2(INSTALLERS / "linux" / "planstudio.desktop", share)
    shutil.copy2(INSTALLERS / "linux" / "planstudio-mime.xml", share)
    for icon in (INSTALLERS / "icons").glob("planstudio-*.png"):
        shutil.copy2(icon, share / "icons")
    shutil.copy2(INSTALLERS / "linux" / "install.sh", folder / "install.sh")
    archive = dist / f"{NAME}-{__version__}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname=f"{NAME}-{__version__}")
    return archive


def macos_dmg(dist: Path) -> Path:
    app = dist / "Plan Studio.app"
    staging = dist / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    shutil.copytree(app, staging / app.name, symlinks=True)
    (staging / "Applications").symlink_to("/Applications")  # drag the app onto it
    image = dist / f"PlanStudio-{__version__}-macos.dmg"
    image.unlink(missing_ok=True)
    subprocess.run(
        ["hdiutil", "create", "-volname", "Plan Studio", "-srcfolder", str(staging),
         "-fs", "HFS+", "-format", "UDZO", "-ov", str(image)],
        check=True,
    )  # fmt: skip
    shutil.rmtree(staging)
    return image


def windows_setup(folder: Path, dist: Path) -> Path | None:
    compiler = shutil.which("iscc") or shutil.which(r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe")
    if compiler is None:
        print("Inno Setup (iscc) is not installed: the folder is built, the installer is not.")
        return None
    subprocess.run(
        [compiler, f"/DAppVersion={__version__}", f"/DSourceDir={folder}",
         f"/DOutputDir={dist}", str(INSTALLERS / "windows" / "planstudio.iss")],
        check=True,
    )  # fmt: skip
    return dist / f"PlanStudio-{__version__}-setup.exe"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where to build")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args()
    dist, folder = args.dist.resolve(), args.dist.resolve() / NAME

    started = time.monotonic()
    pyinstaller(dist, args.work.resolve())
    built = time.monotonic() - started
    package: Path | None = None
    if sys.platform.startswith("linux"):
        package = linux_package(folder, dist)
    elif sys.platform == "darwin":
        package = macos_dmg(dist)
    elif sys.platform == "win32":
        package = windows_setup(folder, dist)
    total = time.monotonic() - started

    print(f"\nPlan Studio {__version__} for {sys.platform}-{platform.machine()}")
    print(f"  folder     {folder}  {megabytes(folder_size(folder))}")
    if package is not None and package.exists():
        print(f"  package    {package}  {megabytes(package.stat().st_size)}")
    print(f"  build time {built:.0f} s (PyInstaller), {total:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
