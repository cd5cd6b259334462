#!/bin/sh
# Debian's system libraries the station needs at run time and under test:
#   libzbar0             pyzbar's decoder library
#   libpulse0            Qt Multimedia's audio output (feedback sounds)
#   libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3
#                        Qt GUI on any platform plugin (offscreen included)
#   libxkbcommon-x11-0 libxcb-*   Qt's xcb plugin, for a real X display
#   xvfb xdotool         a virtual X display for screenshots and typing like a scanner
#   desktop-file-utils appstream   validating the launcher and metainfo (tests)
#   openssl              a self-signed certificate for the TLS tests
# Does nothing when not on Debian/Ubuntu or when everything is already installed.
set -e
PKGS="libzbar0 libpulse0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 \
libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 xvfb xdotool \
desktop-file-utils appstream openssl"
command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || exit 0
MISSING=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING="$MISSING $p"
done
[ -z "$MISSING" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing system libraries:$MISSING"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $MISSING
