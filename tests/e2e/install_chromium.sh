#!/bin/sh
# Installs Debian's Chromium for the browser tests when it is missing (`make test` runs this).
# Where it cannot, it says so in one line and the browser tests skip (fail where
# REQUIRE_BROWSER=1, as in CI): tests/e2e/browser.py decides, this only installs.
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0

if [ "$chromium" != /usr/bin/chromium ]; then
    why="CHROMIUM_PATH names another file than the one Debian's package installs"
elif [ "$(id -u)" != 0 ]; then
    why="installing it takes root: apt-get install chromium"
elif ! command -v apt-get >/dev/null 2>&1; then
    why="no apt-get on this machine"
else
    echo "Installing Debian's chromium for the browser tests (apt-get) ..."
    log="${TMPDIR:-/tmp}/clusterboard-apt-chromium.log"
    export DEBIAN_FRONTEND=noninteractive
    # Install from the package lists as they are; refresh them only if that fails.
    if { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } \
        >"$log" 2>&1 && [ -x "$chromium" ]; then
        exit 0
    fi
    why="apt-get install chromium failed, see $log"
fi

case "${REQUIRE_BROWSER:-}" in
    "" | 0) outcome="will be skipped" ;;
    *) outcome="will fail (REQUIRE_BROWSER is set)" ;;
esac
echo "Browser tests (tests/e2e) $outcome: no Chromium at $chromium ($why)."
