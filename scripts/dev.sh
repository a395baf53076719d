#!/usr/bin/env bash
# One entry point for the README's two commands:
#   scripts/dev.sh run   — set up .venv (idempotently) and open the app on a demo registry
#   scripts/dev.sh test  — set up .venv (idempotently) and run ruff, mypy and pytest
# The virtual environment is rebuilt only when pyproject.toml changes (stamp = its hash).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"
py="${PYTHON:-python3}"

need_system_packages() {
    # Qt (even offscreen) needs a few shared libraries that a minimal Debian lacks;
    # poppler-utils gives the tests pdftotext/pdffonts/pdfsig; openssl checks CMS bundles.
    local missing=()
    for lib in libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3; do
        ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib")
    done
    for tool in pdftotext pdffonts openssl; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "system packages missing: ${missing[*]}" >&2
        local pkgs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 poppler-utils openssl"
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
            apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
        elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
            sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs
        else
            echo "please install: $pkgs" >&2
        fi
    fi
}

ensure_venv() {
    local stamp="$venv/.fanguai-stamp"
    local want
    want="$(cat pyproject.toml | sha256sum | cut -c1-16)"
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
        "$venv/bin/python" -m pip install -q --upgrade pip
        "$venv/bin/python" -m pip install -q -e ".[dev]"
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
        "$venv/bin/ruff" check fanguai_desk tests
        "$venv/bin/mypy"
        exec "$venv/bin/pytest" "$@"
        ;;
    *)
        echo "usage: scripts/dev.sh run|test" >&2
        exit 2
        ;;
esac
