#!/usr/bin/env bash
# Smoke test of the BUILT bundle (not the source tree):  packaging/smoke_test.sh [BUNDLE_DIR]
#
# BUNDLE_DIR defaults to dist/fanguai-desk (from packaging/build.sh).  The bundle is first copied to a
# temporary folder and run from there with a scrubbed environment (no venv, no PYTHONPATH, a throw-away
# HOME), so anything the app reads from the source tree instead of the bundle makes a step fail.
# Headless (QT_QPA_PLATFORM=offscreen).  Steps, each of which must succeed:
#   --version (app, schema, SQLCipher)            init (Alembic migrations from the bundle)
#   demo --victims 50 --no-users                  victim search by pinyin initials (pypinyin's data files)
#   ca init / enrol / ca issue / install          report followup (ReportLab + the bundled CJK font, pyHanko)
#   verify (pyHanko validation)                   gui: first-run wizard on an empty folder, then sign-in
#                                                 window → main window on the registry (translations, font,
#                                                 icon, Qt plugins), quit after 1 s
# Prints the time of each step and the bundle's start-up time to the sign-in window.  Exit 0 = all passed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src_bundle="$(cd "${1:-$here/dist/fanguai-desk}" && pwd)"
[ -x "$src_bundle/fanguai-desk" ] || { echo "no bundle at $src_bundle (run packaging/build.sh)" >&2; exit 2; }
py="$(command -v python3)"  # the build machine's python, only to read JSON output

work="$(mktemp -d "${TMPDIR:-/tmp}/fanguai-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -a "$src_bundle" "$work/app"
exe="$work/app/fanguai-desk"
data="$work/data"
mkdir -p "$work/home" "$work/out"
cd "$work/out"

# A scrubbed environment: what a township laptop has, plus the test's passwords (synthetic registry).
run() {
    env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_RUNTIME_DIR="$work/home" LANG=C.UTF-8 \
        QT_QPA_PLATFORM=offscreen FANGUAI_USER=admin FANGUAI_PASSWORD=smoke-test-password-2026 \
        FANGUAI_CA_PASSWORD=smoke-test-ca-password-2026 ${SMOKE_ENV:-} "$exe" "$@"
}

failures=0
step_started=0
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
begin() { printf '%-44s' "$1"; step_started=$(date +%s.%N); }
ok() { printf 'ok   %5.1f s%s\n' "$(minus "$(date +%s.%N)" "$step_started")" "${1:+  ($1)}"; }
fail() { printf 'FAIL %s\n' "$1"; failures=$((failures + 1)); }
t_all=$(date +%s.%N)

begin "--version"
if out=$(run --version 2>&1) && [[ "$out" =~ ^fanguai-desk\ [0-9.]+\ \ (schema|数据库结构)\ [0-9a-z_]+\ \ SQLCipher\ 4\. ]]; then
    ok "$out"
else fail "$out"; fi

# One registry for everything, so the county's laptop (the county CA runs only there); it registers files too.
begin "init --county --admin admin --township 青龙镇"
if out=$(run --data "$data" init --county --admin admin --township 青龙镇 2>&1) && [ -f "$data/registry.db" ]; then ok
else fail "$out"; fi

begin "demo --victims 50 --no-users"
if out=$(run --data "$data" demo --victims 50 --no-users 2>&1); then ok; else fail "$out"; fi

begin "victim add 张三 + search zs (pypinyin)"
if out=$(run --data "$data" victim add --name 张三 --sex M --estimated-birth-year 1990 --township 青龙镇 2>&1) &&
   out=$(run --data "$data" --json victim search zs 2>&1) &&
   echo "$out" | "$py" -c 'import json,sys; rows=json.load(sys.stdin); sys.exit(0 if any(r["display_name"].startswith("张") for r in rows) else 1)'
then ok; else fail "$out"; fi

begin "ca init / enrol / ca issue / install"
if out=$(run --data "$data" ca init --name 示例县民政局数字证书中心 --org 示例县民政局 2>&1) &&
   out=$(run --data "$data" enrol --out request.bin 2>&1) &&
   out=$(run --data "$data" ca issue request.bin --out certs.bin --township 青龙镇 2>&1) &&
   out=$(run --data "$data" install certs.bin 2>&1); then ok
else fail "$out"; fi

begin "report followup --visit ID --out F.pdf"
visit=$(run --data "$data" --json followup list | "$py" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' || true)
if [ -n "$visit" ] && out=$(run --data "$data" report followup --visit "$visit" --out F.pdf 2>&1) &&
   [ "$(head -c 5 F.pdf)" = "%PDF-" ]; then
    ok "$(stat -c %s F.pdf) bytes"
else fail "${out:-no follow-up visit in the demo registry}"; fi

begin "verify F.pdf"
if out=$(run --data "$data" --json verify F.pdf 2>&1) &&
   echo "$out" | "$py" -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["summary_code"]=="valid" and d["intact"] and d["trusted"] else 1)'
then ok "valid, trusted"; else fail "$out"; fi
if command -v pdffonts >/dev/null; then
    begin "  PDF embeds the bundled CJK font"
    if pdffonts F.pdf 2>/dev/null | grep -q "WenQuanYi.*yes"; then ok; else fail "$(pdffonts F.pdf 2>&1)"; fi
fi

begin "gui on an empty folder: first-run wizard"
if out=$(SMOKE_ENV="FANGUAI_SMOKE_QUIT_AFTER_MS=300" run --data "$work/empty" gui 2>&1) &&
   echo "$out" | grep -q "^smoke: first-run-wizard-shown .*font=WenQuanYi"; then ok
else fail "$out"; fi

begin "gui: sign-in window → main window, 1 s"
t0=$(date +%s.%N)
if out=$(SMOKE_ENV="FANGUAI_SMOKE_QUIT_AFTER_MS=1000" run --data "$data" gui 2>&1) &&
   signin=$(echo "$out" | grep "^smoke: sign-in-window-shown ") &&
   echo "$signin" | grep -q "font=WenQuanYi_Micro_Hei icon=ok" &&
   echo "$signin" | grep -q "title=反拐" &&
   echo "$out" | grep -q "^smoke: main-window-shown "; then
    t_signin=$(echo "$signin" | awk '{print $3}')
    t_main=$(echo "$out" | awk '/^smoke: main-window-shown/ {print $3}')
    ok "start-up to sign-in window $(minus "$t_signin" "$t0") s; sign-in to main window $(minus "$t_main" "$t_signin") s"
else fail "$out"; fi

total=$(minus "$(date +%s.%N)" "$t_all")
if [ "$failures" -eq 0 ]; then
    printf 'smoke test passed in %.0f s  (bundle %s, %s)\n' "$total" "$src_bundle" "$(du -sh "$src_bundle" | cut -f1)"
    # The README's figure (packaging/readme_figures.py), with whatever Python 3 the build machine has.
    "$py" "$here/packaging/readme_figures.py" linux-smoke "passed in $(printf '%.0f' "$total") s ($(date -u +%Y-%m-%d))" || true
else
    printf 'smoke test FAILED: %d step(s)\n' "$failures"
    exit 1
fi
