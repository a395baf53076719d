#!/usr/bin/env bash
# Build the Linux one-folder bundle:  packaging/build.sh   →   dist/fanguai-desk/fanguai-desk
#
# From a fresh clone on Debian/Ubuntu with Python 3.11: creates or updates .venv exactly as scripts/dev.sh
# does (python3 -m venv, pip install -e ".[dev]" — PyInstaller is in the dev extra; redone only when
# pyproject.toml changes), compiles the translations (i18n/*.ts → .qm), then runs PyInstaller with
# packaging/fanguai-desk.spec.  The build needs the network once, for pip; the bundle never does.
# Then:  packaging/smoke_test.sh   (runs the built bundle, not the source tree).
#
# Options: --tarball also writes dist/fanguai-desk-<version>-linux-x86_64.tar.gz (the bundle + install-linux.sh
# + the desktop entry: what to carry to a laptop).  Environment: PYTHON=python3.11 (interpreter for a new
# venv), FANGUAI_SKIP_VENV=1 (use .venv as it is, e.g. offline).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"
py="${PYTHON:-python3}"
started=$(date +%s)

if [ "${FANGUAI_SKIP_VENV:-}" != "1" ]; then
    stamp="$venv/.fanguai-stamp"
    want="$(sha256sum < pyproject.toml | cut -c1-16)"   # the same stamp as scripts/dev.sh
    if [ ! -x "$venv/bin/python" ]; then
        "$py" -m venv "$venv" || { echo "cannot create .venv: install python3-venv (or run scripts/dev.sh test once)" >&2; exit 1; }
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$venv/bin/python" -m pip install -q --upgrade pip
        "$venv/bin/python" -m pip install -q -e ".[dev]"
        echo "$want" > "$stamp"
    fi
fi
[ -x "$venv/bin/pyinstaller" ] || { echo "PyInstaller is missing from .venv (pip install -e '.[dev]')" >&2; exit 1; }

# Compiled translations are build products (git-ignored): always rebuilt from the .ts sources.
"$venv/bin/python" -m fanguai_desk.i18n_build >/dev/null

"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$here/dist" --workpath "$here/build/pyinstaller" \
    packaging/fanguai-desk.spec

bundle="$here/dist/fanguai-desk"
"$bundle/fanguai-desk" --version
if [ "${1:-}" = "--tarball" ]; then
    version="$("$bundle/fanguai-desk" --version | awk '{print $2}')"
    stage="$here/build/tarball/fanguai-desk-$version"
    rm -rf "$here/build/tarball" && mkdir -p "$stage"
    cp -a "$bundle" "$stage/fanguai-desk"
    cp packaging/install-linux.sh packaging/fanguai-desk.desktop "$stage/"
    tar -C "$here/build/tarball" -czf "$here/dist/fanguai-desk-$version-linux-x86_64.tar.gz" "fanguai-desk-$version"
    rm -rf "$here/build/tarball"
    echo "tarball: dist/fanguai-desk-$version-linux-x86_64.tar.gz ($(du -sh "$here/dist/fanguai-desk-$version-linux-x86_64.tar.gz" | cut -f1))"
fi
elapsed=$(( $(date +%s) - started ))
echo "bundle: $bundle  ($(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files)  built in ${elapsed}s"
echo "next: packaging/smoke_test.sh   |   install for this user: packaging/install-linux.sh"
