#!/bin/sh
# Installs Plan Studio for the current user, no administrator rights needed: the program in
# ~/.local/lib/planstudio, the command in ~/.local/bin, the menu entry, the icon and the
# .psplan file type. Run it from the unpacked folder. `./install.sh --uninstall` removes
# them again; plans, recovery copies and settings are left alone.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
LIB=$HOME/.local/lib/planstudio
BIN=$HOME/.local/bin

refresh() {
    # Each is optional: a desktop without them still finds the files at its next login.
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" || true
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database "$DATA/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$LIB"
    rm -f "$BIN/planstudio" "$DATA/applications/planstudio.desktop" \
        "$DATA/mime/packages/planstudio.xml"
    find "$DATA/icons/hicolor" \( -name planstudio.png -o -name application-x-planstudio.png \) \
        -delete 2>/dev/null || true
    refresh
    echo "Plan Studio is uninstalled. Your plans and recovery copies are where they were."
    exit 0
fi

if [ ! -x "$HERE/planstudio" ]; then
    echo "install.sh: run me from the unpacked Plan Studio folder" >&2
    exit 2
fi

mkdir -p "$LIB" "$BIN" "$DATA/applications" "$DATA/mime/packages"
if [ "$HERE" != "$LIB" ]; then
    rm -rf "$LIB"
    mkdir -p "$LIB"
    cp -R "$HERE/." "$LIB/"
fi
ln -sf "$LIB/planstudio" "$BIN/planstudio"
sed "s|^Exec=planstudio|Exec=\"$LIB/planstudio\"|" "$HERE/share/planstudio.desktop" \
    > "$DATA/applications/planstudio.desktop"
cp "$HERE/share/planstudio-mime.xml" "$DATA/mime/packages/planstudio.xml"
for png in "$HERE"/share/icons/planstudio-*.png; do
    size=$(basename "$png" .png)
    size=${size#planstudio-}
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps" "$DATA/icons/hicolor/${size}x${size}/mimetypes"
    cp "$png" "$DATA/icons/hicolor/${size}x${size}/apps/planstudio.png"
    cp "$png" "$DATA/icons/hicolor/${size}x${size}/mimetypes/application-x-planstudio.png"
done
refresh
echo "Plan Studio is installed: find it in your applications menu, double-click a .psplan"
echo "file, or run $BIN/planstudio from a terminal."
