#!/bin/sh
# Put the station where a Linux desktop finds it: the .desktop launcher, the icon set
# (hicolor PNGs and the scalable SVG) and the AppStream metainfo.
#
#   packaging/install-desktop.sh                 per user   (~/.local/share or $XDG_DATA_HOME)
#   packaging/install-desktop.sh --system        system-wide (/usr/local/share, or $PREFIX/share)
#   packaging/install-desktop.sh --exec PATH     the program the launcher starts
#                                                (default: this checkout's .venv/bin/scanner-app,
#                                                 else scanner-app on PATH)
#   packaging/install-desktop.sh --uninstall     remove what it installed (with --system too)
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
ID=io.scanner_app.Station
MODE=user
ACTION=install
EXEC=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system) MODE=system ;;
    --uninstall) ACTION=uninstall ;;
    --exec) shift; EXEC="$1" ;;
    *) echo "install-desktop.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$MODE" = system ]; then
  DATA="${PREFIX:-/usr/local}/share"
else
  DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
if [ -z "$EXEC" ]; then
  if [ -x "$HERE/.venv/bin/scanner-app" ]; then EXEC="$HERE/.venv/bin/scanner-app"
  else EXEC=$(command -v scanner-app || true); fi
fi

if [ "$ACTION" = uninstall ]; then
  rm -f "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml" \
        "$DATA/icons/hicolor/scalable/apps/$ID.svg"
  for dir in "$HERE"/resources/icons/hicolor/*x*; do
    rm -f "$DATA/icons/hicolor/$(basename "$dir")/apps/$ID.png"
  done
  echo "Removed the station's launcher, icons and metainfo from $DATA"
  exit 0
fi

[ -n "$EXEC" ] || { echo "install-desktop.sh: no scanner-app found; run 'make run' once or pass --exec PATH" >&2; exit 1; }
mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps"
sed "s|^Exec=.*|Exec=\"$EXEC\"|" "$HERE/resources/$ID.desktop" > "$DATA/applications/$ID.desktop"
chmod 644 "$DATA/applications/$ID.desktop"
cp "$HERE/resources/$ID.metainfo.xml" "$DATA/metainfo/$ID.metainfo.xml"
cp "$HERE/resources/icons/scanner-app.svg" "$DATA/icons/hicolor/scalable/apps/$ID.svg"
for dir in "$HERE"/resources/icons/hicolor/*x*; do
  size=$(basename "$dir")
  mkdir -p "$DATA/icons/hicolor/$size/apps"
  cp "$dir/apps/$ID.png" "$DATA/icons/hicolor/$size/apps/$ID.png"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "Installed the station's launcher ($EXEC), icons and metainfo into $DATA"
