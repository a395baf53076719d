#!/usr/bin/env bash
# Build the Linux one-folder bundle:  packaging/build.sh   →   dist/fanguai-desk/fanguai-desk
#
# From a fresh clone on Debian/Ubuntu with Python 3.11: creates or updates a build venv (build/venv-linux) from
# the hashed lock file requirements/linux.txt (the runtime dependencies + PyInstaller, nothing else, so no
# developer package can end up in the bundle; re-installed only when the lock changes), compiles the
# translations (i18n/*.ts → .qm), then runs PyInstaller with packaging/fanguai-desk.spec.  The build needs
# the network once, for pip; the bundle never does.
# Then:  packaging/smoke_test.sh   (runs the built bundle, not the source tree).
#
# Options: --venv-only (set up the build venv and compile the translations, then stop: build-windows.sh uses
# it), --tarball also writes dist/fanguai-desk-<version>-linux-x86_64.tar.gz (the bundle + install-linux.sh
# + the desktop entry: what to carry to a laptop).  Environment: PYTHON=python3.11 (interpreter for a new
# venv), FANGUAI_SKIP_VENV=1 (build with the developer's .venv as it is, e.g. offline or from the tests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
py="${PYTHON:-python3}"
started=$(date +%s)

if [ "${FANGUAI_SKIP_VENV:-}" = "1" ]; then
    venv="$here/.venv"
else
    venv="$here/build/venv-linux"
    "$py" scripts/lock_inputs.py check   # a lock older than pyproject.toml's dependencies: refuse
    stamp="$venv/.fanguai-stamp"
    want="$(cat requirements/linux.txt pyproject.toml | sha256sum | cut -c1-16)"
    if [ ! -x "$venv/bin/python" ]; then
        "$py" -m venv "$venv" || { echo "cannot create $venv: install python3-venv (or run scripts/dev.sh test once)" >&2; exit 1; }
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$venv/bin/python" -m pip install -q --require-hashes -r requirements/linux.txt
        "$venv/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
        echo "$want" > "$stamp"
    fi
fi
[ -x "$venv/bin/pyinstaller" ] || { echo "PyInstaller is missing from $venv" >&2; exit 1; }

# Compiled translations are build products (git-ignored): always rebuilt from the .ts sources.
"$venv/bin/python" -m fanguai_desk.i18n_build >/dev/null
[ "${1:-}" = "--venv-only" ] && exit 0

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
figures="$(du -sm "$bundle" | cut -f1) MB, $(find "$bundle" -type f | wc -l) files"
[ -f "$here/dist/fanguai-desk-${version:-}-linux-x86_64.tar.gz" ] && \
    figures="$figures; $(du -sm "$here/dist/fanguai-desk-$version-linux-x86_64.tar.gz" | cut -f1) MB as .tar.gz"
"$venv/bin/python" packaging/readme_figures.py linux-build "$figures; built in ${elapsed} s"
echo "bundle: $bundle  ($figures)  built in ${elapsed}s"
echo "next: packaging/smoke_test.sh   |   install for this user: packaging/install-linux.sh"
