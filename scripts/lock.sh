#!/usr/bin/env bash
# Regenerate the pinned, hashed lock files from pyproject.toml (needs PyPI; takes well under a minute):
#
#   scripts/lock.sh            → requirements/linux.txt    runtime + bundle extra, Linux x86_64, CPython 3.11
#                                requirements/windows.txt  runtime + bundle extra, Windows x64 (win_amd64), CPython 3.11
#                                requirements/dev.txt      runtime + dev + bundle extras, Linux x86_64, CPython 3.11
#   scripts/lock.sh --upgrade  the same, moving every pin to the newest version allowed (otherwise pins that
#                              still satisfy pyproject.toml are kept: uv reads the existing lock files)
#   scripts/lock.sh --lowest DIR   resolve the LOWEST versions pyproject.toml allows (direct dependencies) into
#                              DIR/lowest.txt — to test the declared lower bounds (README: "Dependencies")
#
# Who installs from which file: scripts/dev.sh and packaging/build.sh → dev.txt / linux.txt; packaging/
# build-windows.sh → windows.txt (pip download --platform win_amd64 --require-hashes).  Every lock starts with
# "# pyproject-inputs-sha256: …" (scripts/lock_inputs.py): the test command fails when it no longer matches
# pyproject.toml's dependency declarations, i.e. when someone changed a dependency and did not run this script.
# Uses uv (in the dev extra) from .venv, or the first `uv` on PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
uv="${UV:-}"
[ -n "$uv" ] || { [ -x .venv/bin/uv ] && uv=.venv/bin/uv; } || uv="$(command -v uv || true)"
[ -n "$uv" ] || { echo "uv not found: pip install uv (or run scripts/dev.sh test once)" >&2; exit 1; }
py="${PYTHON:-python3}"
hash="$("$py" scripts/lock_inputs.py hash)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" scripts/lock_inputs.py build-requires > "$tmp/build-requires.in"

# uv pip compile resolves for the named platform, whatever machine runs it; --generate-hashes records the
# sha256 of every file PyPI offers for each pinned version.  The project's own build requirements
# (setuptools) are locked too: scripts/dev.sh installs the project with --no-build-isolation.
compile() {  # compile OUT PLATFORM EXTRA... [-- UV_OPTION...]
    local out="$1" platform="$2"; shift 2
    local args=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=(--extra "$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    "$uv" pip compile --quiet pyproject.toml "$tmp/build-requires.in" "${args[@]}" \
        --python-version 3.11 --python-platform "$platform" --generate-hashes \
        --custom-compile-command "scripts/lock.sh" --no-strip-extras --index-url https://pypi.org/simple \
        "$@" -o "$tmp/out.txt"
    # The build-requires temp file's path would make the header differ per run: name it by what it is.
    sed -i "s#$tmp/build-requires.in#pyproject.toml [build-system]#g" "$tmp/out.txt"
    { echo "$HEADER$hash"; cat "$tmp/out.txt"; } > "$out"
}
HEADER="# pyproject-inputs-sha256: "

if [ "${1:-}" = "--lowest" ]; then
    dir="${2:?usage: scripts/lock.sh --lowest DIR}"
    mkdir -p "$dir"
    compile "$dir/lowest.txt" x86_64-manylinux_2_36 dev -- --resolution lowest-direct
    echo "lowest direct versions: $dir/lowest.txt"
    exit 0
fi
upgrade=()
[ "${1:-}" = "--upgrade" ] && upgrade=(--upgrade)
mkdir -p requirements
# Keep the existing pins as preferences unless --upgrade: uv reads -o's current contents.
for f in linux windows dev; do [ -f "requirements/$f.txt" ] && cp "requirements/$f.txt" "$tmp/out.txt"; \
    case $f in
        linux)   compile requirements/linux.txt x86_64-manylinux_2_36 bundle -- "${upgrade[@]}" ;;
        windows) compile requirements/windows.txt x86_64-pc-windows-msvc bundle -- "${upgrade[@]}" \
                     --constraint packaging/windows/wine-constraints.txt ;;
        dev)     compile requirements/dev.txt x86_64-manylinux_2_36 dev bundle -- "${upgrade[@]}" ;;
    esac
    rm -f "$tmp/out.txt"
done
"$py" scripts/lock_inputs.py check
echo "locked: $(for f in requirements/*.txt; do printf '%s (%s pins)  ' "$f" "$(grep -c '^[A-Za-z0-9]' "$f")"; done)"
