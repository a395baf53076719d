#!/usr/bin/env bash
# Smoke test of the BUILT Windows app and installer, under Wine:  packaging/smoke_test_windows.sh
#
# Uses dist/windows/fanguai-desk/ and dist/fanguai-desk-setup-<version>.exe (packaging/build-windows.sh).
# Everything runs in a FRESH Wine prefix in a temporary folder, outside any source tree, with a scrubbed
# environment (no venv, no PYTHONPATH) and a Chinese Windows locale (LANG=zh_CN.UTF-8 → code page 936, GBK:
# the app must not depend on it).  The registry lives in  C:\反拐 测试\登记库 数据  (Chinese characters and
# spaces in the path).  Steps, each of which must succeed:
#   --version                        init (Alembic migrations from the bundle)       demo --victims 50 --townships 1
#   victim add 张三 + search zs       ca init / enrol / ca issue / install            report followup + verify
#   export on the township registry → import on a second (supervisor) registry        backup + backup verify
#   %LOCALAPPDATA%: init without --data lands in C:\users\<user>\AppData\Local\fanguai_desk (platformdirs)
#   msvcrt lock: while the GUI holds the registry open, a second program's write is refused (registry_in_use)
#   gui: sign-in window → main window, screenshots of both (dist/windows/smoke-sign-in.png,
#       smoke-main-window.png) — look at them; Qt's offscreen platform, since its "windows" platform plugin
#       aborts under Wine 8 (see the GUI section; FANGUAI_WINE_QPA=windows tries it under Xvfb)
#   setup.exe /VERYSILENT /CURRENTUSER → installed under %LOCALAPPDATA%\Programs, the installed app runs on
#       the registry; the uninstaller removes the program and keeps the registry (data folder untouched)
# Prints the time of each step.  Exit 0 = all passed.  What Wine cannot prove: README, "Windows".
# --no-installer: skip the installer steps (says so; for a machine without 32-bit Wine).
set -euo pipefail
skip_installer=0
[ "${1:-}" = "--no-installer" ] && skip_installer=1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src_bundle="$here/dist/windows/fanguai-desk"
[ -f "$src_bundle/fanguai-desk.exe" ] || { echo "no Windows bundle at $src_bundle (run packaging/build-windows.sh)" >&2; exit 2; }
setup="$(ls "$here"/dist/fanguai-desk-setup-*.exe 2>/dev/null | tail -1 || true)"
py="$(command -v python3)"  # the build machine's python, only to read JSON output
shots="$here/dist/windows"

work="$(mktemp -d "${TMPDIR:-/tmp}/fanguai-winsmoke.XXXXXX")"
xvfb_pid=""; gui_pid=""
cleanup() {
    [ -n "$gui_pid" ] && kill "$gui_pid" 2>/dev/null || true
    WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$work/out"
prefix="$work/prefix"
user="smoke"
cdrive="$prefix/drive_c"
data_win='C:\反拐 测试\登记库 数据'           # Chinese characters and spaces
data_unix="$cdrive/反拐 测试/登记库 数据"
sup_win='C:\反拐 测试\县民政局'
out_win='C:\out'; out_unix="$cdrive/out"

# Wine takes the Windows locale (and code page 936) from LANG, and converts the command line with the Unix
# locale's charset: the zh_CN.UTF-8 locale must exist (generated here when we can).
lang=zh_CN.UTF-8
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf-\?8'; then
    { [ "$(id -u)" = 0 ] && localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 2>/dev/null; } ||
        { echo "note: no zh_CN.UTF-8 locale (install 'locales'); running with C.UTF-8, code page 1252" >&2; lang=C.UTF-8; }
fi
# A scrubbed environment: what a township laptop has, plus the test's passwords (synthetic registry).
wenv() {
    env -i PATH=/usr/bin:/bin HOME="$work/home" USER="$user" LOGNAME="$user" LANG="$lang" \
        WINEPREFIX="$prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
        DISPLAY="${DISPLAY_FOR_WINE:-}" FANGUAI_USER=admin FANGUAI_PASSWORD=smoke-test-password-2026 \
        FANGUAI_CA_PASSWORD=smoke-test-ca-password-2026 ${SMOKE_ENV:-} "$@" </dev/null
}
exe_win='C:\app\fanguai-desk\fanguai-desk.exe'
run() { wenv wine "$exe_win" "$@" 2>&1 | tr -d '\r'; return "${PIPESTATUS[0]}"; }

failures=0
step_started=0
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
begin() { printf '%-52s' "$1"; step_started=$(date +%s.%N); }
ok() { printf 'ok   %5.1f s%s\n' "$(minus "$(date +%s.%N)" "$step_started")" "${1:+  ($1)}"; }
fail() { printf 'FAIL %s\n' "$(echo "$1" | tail -15)"; failures=$((failures + 1)); }
t_all=$(date +%s.%N)

begin "fresh Wine prefix (wineboot)"
if wenv wineboot -i >/dev/null 2>&1 && [ -d "$cdrive/windows" ]; then ok "$(wenv wine --version 2>/dev/null)"; else fail "wineboot failed"; fi
# Wine 8 lacks bcryptprimitives.dll (cryptography's Rust code) and icuuc.dll (Qt6Core): the prefix — not the
# app — gets the shims packaging/build-windows.sh compiled (packaging/windows/wine-shim/).
shims="${FANGUAI_WIN_CACHE:-$here/.cache/windows}/wine-shim"
for name in bcryptprimitives icuuc; do
    [ -f "$shims/$name.dll" ] || { echo "no $shims/$name.dll (run packaging/build-windows.sh)" >&2; exit 2; }
    cp "$shims/$name.dll" "$cdrive/windows/system32/$name.dll"
    [ ! -e "$src_bundle/_internal/$name.dll" ] || { echo "the bundle must not carry the Wine shim $name.dll" >&2; exit 1; }
done
mkdir -p "$cdrive/app" "$out_unix"
cp -a "$src_bundle" "$cdrive/app/fanguai-desk"

begin "--version"
if out=$(run --version) && [[ "$out" =~ ^fanguai-desk\ [0-9.]+\ \ (schema|数据库结构)\ [0-9a-z_]+\ \ SQLCipher\ 4\. ]]; then ok "$out"
else fail "$out"; fi

begin "init (data folder 反拐 测试\\登记库 数据)"
if out=$(run --data "$data_win" init --admin admin --township 青龙镇) && [ -f "$data_unix/registry.db" ]; then ok
else fail "$out"; fi

# One township (the registry's own): the township's certificate may send only its own township's records.
begin "demo --victims 50 --townships 1 --no-users"
if out=$(run --data "$data_win" demo --victims 50 --townships 1 --no-users); then ok; else fail "$out"; fi

begin "victim add 张三 + search zs (pypinyin)"
if out=$(run --data "$data_win" victim add --name 张三 --sex M --estimated-birth-year 1990 --township 青龙镇) &&
   out=$(run --data "$data_win" --json victim search zs) &&
   echo "$out" | "$py" -c 'import json,sys; rows=json.load(sys.stdin); sys.exit(0 if any(r["display_name"].startswith("张") for r in rows) else 1)'
then ok; else fail "$out"; fi

# The county CA lives on the county's laptop (init --county): a township laptop cannot run one.
begin "init --county / ca init (county) / enrol / ca issue / install (township)"
if out=$(run --data "$sup_win" init --county --admin admin --township 县民政局 --township-code 510100) &&
   out=$(run --data "$sup_win" ca init --name 示例县民政局数字证书中心 --org 示例县民政局) &&
   out=$(run --data "$data_win" enrol --out "$out_win\\town.req") &&
   out=$(run --data "$sup_win" ca issue "$out_win\\town.req" --out "$out_win\\town.certs" --township 青龙镇) &&
   out=$(run --data "$data_win" install "$out_win\\town.certs"); then ok
else fail "$out"; fi

begin "report followup --visit ID --out F.pdf"
visit=$(run --data "$data_win" --json followup list | "$py" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' || true)
if [ -n "$visit" ] && out=$(run --data "$data_win" report followup --visit "$visit" --out "$out_win\\F.pdf") &&
   [ "$(head -c 5 "$out_unix/F.pdf")" = "%PDF-" ]; then
    ok "$(stat -c %s "$out_unix/F.pdf") bytes"
else fail "${out:-no follow-up visit in the demo registry}"; fi

begin "verify F.pdf"
if out=$(run --data "$data_win" --json verify "$out_win\\F.pdf") &&
   echo "$out" | "$py" -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["summary_code"]=="valid" and d["intact"] and d["trusted"] else 1)'
then ok "valid, trusted"; else fail "$out"; fi
if command -v pdffonts >/dev/null; then
    begin "  PDF embeds the bundled CJK font"
    if pdffonts "$out_unix/F.pdf" 2>/dev/null | grep -q "WenQuanYi.*yes"; then ok; else fail "$(pdffonts "$out_unix/F.pdf" 2>&1)"; fi
fi

begin "export (township) → import (the county's laptop)"
if out=$(run --data "$sup_win" enrol --out "$out_win\\sup.req") &&
   out=$(run --data "$sup_win" ca issue "$out_win\\sup.req" --out "$out_win\\sup.certs" --township 县民政局) &&
   out=$(run --data "$sup_win" install "$out_win\\sup.certs") &&
   out=$(run --data "$sup_win" cert export-encryption --out "$out_win\\sup.crt") &&
   out=$(run --data "$data_win" export --to "$out_win\\sup.crt" --out "$out_win\\青龙镇 数据包.p7m") &&
   out=$(run --data "$sup_win" import "$out_win\\青龙镇 数据包.p7m") && echo "$out" | grep -q "已导入第 1 号数据包" &&
   n=$(run --data "$sup_win" --json victim list --limit 1000 | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))') &&
   [ "$n" -ge 50 ]
then ok "$n files arrived"; else fail "$out"; fi

begin "backup + backup verify"
if out=$(run --data "$data_win" backup --out "$out_win\\备份 1.bak") &&
   out=$(run --data "$data_win" backup verify "$out_win\\备份 1.bak") && echo "$out" | grep -q "备份完好"
then ok "$(stat -c %s "$out_unix/备份 1.bak") bytes"; else fail "$out"; fi

begin "%LOCALAPPDATA% default data folder (platformdirs)"
localdata="$cdrive/users/$user/AppData/Local/fanguai_desk"
if out=$(run init --admin admin --township 青龙镇) && [ -f "$localdata/registry.db" ] &&
   out2=$(run --json victim list) && [ "$(echo "$out2" | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ]
then ok "C:\\users\\$user\\AppData\\Local\\fanguai_desk"; else fail "$out ${out2:-}"; fi

# ----------------------------------------------------------------------------- GUI
# Qt's "windows" platform plugin aborts under Wine 8: QtGui asks the monitor's colour profile through
# mscms.dll!WcsCreateIccProfile, which Wine 8 does not implement ("unimplemented function
# mscms.dll.WcsCreateIccProfile").  FANGUAI_WINE_QPA=windows (with Xvfb) tries it anyway; by default the GUI
# runs on Qt's offscreen platform — the Windows build of Qt, PySide6, the widgets, fonts, translations and
# icons, but not the windows platform plugin (README: what only real Windows proves).
qpa="${FANGUAI_WINE_QPA:-offscreen}"
if [ "$qpa" = windows ]; then
    display=":$(( 90 + RANDOM % 100 ))"
    Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    sleep 2
    export DISPLAY_FOR_WINE="$display"
    qpa_env=""
else
    qpa_env="QT_QPA_PLATFORM=offscreen"
fi
rm -f "$shots"/smoke-sign-in.png "$shots"/smoke-main-window.png
mkdir -p "$out_unix/shots"

begin "gui ($qpa platform): sign-in → main window"
t0=$(date +%s.%N)
SMOKE_ENV="$qpa_env FANGUAI_SMOKE_QUIT_AFTER_MS=60000 FANGUAI_SMOKE_TIMEOUT_S=400 FANGUAI_SMOKE_SCREENSHOT_DIR=$out_win\\shots" \
    wenv wine "$exe_win" --data "$data_win" gui 2>&1 | cat > "$work/gui.log" &  # a pipe: Wine + a file stdout fails
gui_pid=$!
for _ in $(seq 1 400); do grep -q "^smoke: main-window-shown" "$work/gui.log" 2>/dev/null && break; kill -0 "$gui_pid" 2>/dev/null || break; sleep 1; done
out="$(tr -d '\r' < "$work/gui.log")"
if signin=$(echo "$out" | grep "^smoke: sign-in-window-shown ") && echo "$signin" | grep -q "title=反拐" &&
   echo "$out" | grep -q "^smoke: main-window-shown "; then
    t_signin=$(echo "$signin" | awk '{print $3}')
    t_main=$(echo "$out" | awk '/^smoke: main-window-shown/ {print $3}')
    ok "$(echo "$signin" | grep -o 'platform=[a-z]*') start-up to sign-in $(minus "$t_signin" "$t0") s; to main window $(minus "$t_main" "$t_signin") s"
else fail "$out"; fi

begin "msvcrt lock: a second program's write is refused"
if out=$(run --data "$data_win" victim add --name 李四 --sex M --estimated-birth-year 1991 --township 青龙镇); then
    fail "the write went through while the GUI held the registry: $out"
elif echo "$out" | grep -q "另一个程序窗口"; then ok "registry_in_use"
else fail "$out"; fi
# The GUI quits 60 s after its main window; under Wine 8 the process has been seen to keep spinning after
# that instead of exiting: give it 90 s more, then end the processes of this test's own prefix and say so.
for _ in $(seq 1 90); do kill -0 "$gui_pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$gui_pid" 2>/dev/null; then
    echo "note: the GUI process did not exit after quitting (Wine); ending this prefix's processes"
    WINEPREFIX="$prefix" wineserver -k 2>/dev/null || true
fi
wait "$gui_pid" 2>/dev/null || true
gui_pid=""
for name in sign-in main-window; do
    [ -f "$out_unix/shots/$name.png" ] && cp "$out_unix/shots/$name.png" "$shots/smoke-$name.png"
done
begin "  screenshots saved"
if [ -s "$shots/smoke-sign-in.png" ] && [ -s "$shots/smoke-main-window.png" ]; then ok "dist/windows/smoke-sign-in.png, smoke-main-window.png"
else fail "$(grep screenshot "$work/gui.log" | tr -d '\r')"; fi

begin "after the GUI quit, the lock is free again"
if out=$(run --data "$data_win" victim add --name 李四 --sex M --estimated-birth-year 1991 --township 青龙镇); then ok
else fail "$out"; fi

# ----------------------------------------------------------------------------- installer
if [ "$skip_installer" = 1 ]; then
    echo "SKIPPED: setup.exe /VERYSILENT /CURRENTUSER, installed app, uninstall (--no-installer)"
elif [ -z "$setup" ]; then
    begin "setup.exe"; fail "no dist/fanguai-desk-setup-*.exe (packaging/build-windows.sh builds it; needs wine32:i386)"
else
    cp "$setup" "$out_unix/setup.exe"
    installed="$cdrive/users/$user/AppData/Local/Programs/fanguai-desk"
    begin "setup.exe /VERYSILENT /CURRENTUSER"
    if wenv wine 'C:\out\setup.exe' /VERYSILENT /CURRENTUSER /SUPPRESSMSGBOXES /NORESTART '/LOG=C:\out\setup.log' >/dev/null 2>&1 &&
       [ -f "$installed/fanguai-desk.exe" ]; then ok "$(du -sh "$installed" | cut -f1) in %LOCALAPPDATA%\\Programs\\fanguai-desk"
    else fail "$(tail -5 "$out_unix/setup.log" 2>/dev/null)"; fi
    begin "  installed app opens the registry"
    if out=$(wenv wine "C:\\users\\$user\\AppData\\Local\\Programs\\fanguai-desk\\fanguai-desk.exe" --data "$data_win" --json victim search zs 2>&1 | tr -d '\r') &&
       echo "$out" | "$py" -c 'import json,sys; sys.exit(0 if json.load(sys.stdin) else 1)'; then ok
    else fail "$out"; fi
    begin "  Start-menu shortcut created"
    if find "$cdrive/users/$user" -name "*.lnk" | grep -q "反拐"; then ok; else fail "no shortcut"; fi
    begin "  uninstall: program removed, registry kept"
    before=$(sha256sum "$data_unix/registry.db" "$localdata/registry.db" | sha256sum)
    if wenv wine "C:\\users\\$user\\AppData\\Local\\Programs\\fanguai-desk\\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART >/dev/null 2>&1; sleep 3;
       [ ! -f "$installed/fanguai-desk.exe" ] && [ -f "$data_unix/registry.db" ] && [ -f "$localdata/registry.db" ] &&
       [ "$before" = "$(sha256sum "$data_unix/registry.db" "$localdata/registry.db" | sha256sum)" ]
    then ok "registry.db unchanged in both data folders"; else fail "$(ls "$installed" 2>&1 | head -3)"; fi
fi

total=$(minus "$(date +%s.%N)" "$t_all")
if [ "$failures" -eq 0 ]; then
    what="passed"; [ "$skip_installer" = 1 ] && what="passed WITHOUT the installer steps (--no-installer)"
    printf 'Windows smoke test %s in %.0f s under %s\n' "$what" "$total" "$(wine --version 2>/dev/null)"
    readme_py="$here/build/venv-linux/bin/python"
    [ -x "$readme_py" ] && "$readme_py" "$here/packaging/readme_figures.py" windows-smoke \
        "$what in $(printf '%.0f' "$total") s ($(date -u +%Y-%m-%d), $(wine --version 2>/dev/null))" || true
else
    printf 'Windows smoke test FAILED: %d step(s)\n' "$failures"
    exit 1
fi
