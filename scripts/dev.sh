#!/usr/bin/env bash
# One entry point for the README's two commands:
#   scripts/dev.sh run   — set up .venv (idempotently) and open the app on a demo registry
#   scripts/dev.sh test  — set up .venv (idempotently) and run ruff, mypy and pytest
# The virtual environment is installed from the hashed lock file requirements/dev.txt (scripts/lock.sh makes
# it from pyproject.toml) and re-installed only when the lock or pyproject.toml changes (stamp = their hash).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"
py="${PYTHON:-python3}"

need_system_packages() {
    # Qt's xcb platform (a real X display) needs the X/xcb libraries below, Xvfb runs the app and the
    # real-display test without a screen, poppler-utils gives the tests pdftotext/pdffonts/pdfsig (certutil, from
    # libnss3-tools, makes the NSS database in which pdfsig trusts the county CA), openssl
    # checks CMS bundles.  Each entry: "package:what-proves-it-is-there" (a shared library soname, or a
    # command).  The list was taken from `ldd` on PySide6's libqxcb.so / libQt6XcbQpa.so (Qt 6.12).
    local want=(
        libegl1:libEGL.so.1 libgl1:libGL.so.1 libfontconfig1:libfontconfig.so.1 libdbus-1-3:libdbus-1.so.3
        libxkbcommon0:libxkbcommon.so.0 libxkbcommon-x11-0:libxkbcommon-x11.so.0 libx11-xcb1:libX11-xcb.so.1
        libxcb1:libxcb.so.1 libxcb-cursor0:libxcb-cursor.so.0 libxcb-icccm4:libxcb-icccm.so.4
        libxcb-keysyms1:libxcb-keysyms.so.1 libxcb-image0:libxcb-image.so.0
        libxcb-render-util0:libxcb-render-util.so.0 libxcb-xinerama0:libxcb-xinerama.so.0
        libxcb-randr0:libxcb-randr.so.0 libxcb-shape0:libxcb-shape.so.0 libxcb-xfixes0:libxcb-xfixes.so.0
        libxcb-xkb1:libxcb-xkb.so.1 libxcb-shm0:libxcb-shm.so.0 libxcb-sync1:libxcb-sync.so.1
        libxcb-render0:libxcb-render.so.0 libxcb-util1:libxcb-util.so.1 libxcb-glx0:libxcb-glx.so.0
        xvfb:Xvfb xauth:xauth poppler-utils:pdftotext poppler-utils:pdffonts openssl:openssl
        libnss3-tools:certutil
    )
    local missing=() entry pkg probe
    for entry in "${want[@]}"; do
        pkg="${entry%%:*}" probe="${entry#*:}"
        if [[ "$probe" == *.so.* ]]; then
            # grep without -q reads to the end: with -q it exits early, ldconfig dies of SIGPIPE and, under
            # pipefail, a present library would count as missing.
            ldconfig -p 2>/dev/null | grep -F "$probe " >/dev/null && continue
        else
            command -v "$probe" >/dev/null 2>&1 && continue
        fi
        [[ " ${missing[*]:-} " == *" $pkg "* ]] || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "system packages missing: ${missing[*]}" >&2
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
            apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
            sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
        else
            echo "cannot install them here (not root, no sudo, or no apt-get).  Please run, as root:" >&2
            echo "    apt-get install ${missing[*]}" >&2
            echo "(other distributions: the same X/xcb libraries, Xvfb, poppler and openssl)" >&2
        fi
    fi
    check_qt_xcb
}

check_qt_xcb() {
    # Once PySide6 is installed, ask the loader itself: any library the xcb platform plugin cannot find
    # is named, so "Could not load the Qt platform plugin xcb" never reaches the user unexplained.
    local plugin
    # No venv yet (a fresh clone): nothing to ask.  `|| true`: under pipefail a failing ls would end the script.
    plugin="$(ls "$venv"/lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so 2>/dev/null | head -1 || true)"
    [ -n "$plugin" ] || return 0
    local absent
    absent="$(ldd "$plugin" "$(dirname "$plugin")/../../lib/libQt6XcbQpa.so.6" 2>/dev/null | awk '/not found/{print $1}' | sort -u | tr '\n' ' ' || true)"
    if [ -n "$absent" ]; then
        echo "Qt's xcb platform plugin cannot find: $absent— install the Debian packages providing them" >&2
        echo "(apt-file search <library>), or run with QT_QPA_PLATFORM=offscreen." >&2
    fi
}

ensure_venv() {
    local stamp="$venv/.fanguai-stamp"
    local want
    want="$(cat requirements/dev.txt pyproject.toml | sha256sum | cut -c1-16)"
    if [ ! -x "$venv/bin/python" ]; then
        if ! "$py" -m venv "$venv" >/dev/null 2>&1; then
            rm -rf "$venv"
            # Debian splits venv/ensurepip into python3-venv; install it when we can.
            if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
                apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
                sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
            fi
            "$py" -m venv "$venv" || { echo "cannot create a virtual environment: install python3-venv" >&2; exit 1; }
        fi
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        # Exactly the pinned versions, each checked against its recorded sha256 (a stale lock is refused
        # first, so the venv never silently drifts from pyproject.toml); then the project itself, without
        # dependencies and built with the locked setuptools.
        "$venv/bin/python" scripts/lock_inputs.py check
        "$venv/bin/python" -m pip install -q --require-hashes -r requirements/dev.txt
        "$venv/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
        echo "$want" > "$stamp"
    fi
    # Compiled translations are build products, never committed: refresh them every time.
    "$venv/bin/python" -m fanguai_desk.i18n_build >/dev/null
}

cmd="${1:-}"
shift || true
case "$cmd" in
    run)
        need_system_packages
        ensure_venv
        check_qt_xcb
        demo="${FANGUAI_DEMO_DIR:-$here/.demo-registry}"
        if [ ! -f "$demo/registry.db" ]; then
            echo "creating demo registry in $demo (synthetic people only)…"
            "$venv/bin/fanguai-desk" --data "$demo" demo --victims 2000 --password-for-demo
        fi
        echo "demo registry: user 'admin', password 'demo-password-2026' (synthetic data only)"
        exec "$venv/bin/fanguai-desk" --data "$demo" "${@:-gui}"
        ;;
    test)
        need_system_packages
        ensure_venv
        # The lock files must match pyproject.toml's dependencies (fails in milliseconds, offline).
        "$venv/bin/python" scripts/lock_inputs.py check
        "$venv/bin/ruff" check fanguai_desk tests
        "$venv/bin/mypy"
        exec "$venv/bin/pytest" "$@"
        ;;
    *)
        echo "usage: scripts/dev.sh run|test" >&2
        exit 2
        ;;
esac
