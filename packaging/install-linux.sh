#!/usr/bin/env bash
# Install the built bundle for the current user — no root, no network:
#   packaging/install-linux.sh [BUNDLE_DIR]     (default: dist/fanguai-desk, from packaging/build.sh)
#   packaging/install-linux.sh --uninstall
# On a laptop without the source tree, use the tarball from `packaging/build.sh --tarball`: it holds the
# bundle, this script and the desktop entry —  tar xzf fanguai-desk-*-linux-x86_64.tar.gz &&
# fanguai-desk-*/install-linux.sh
#
#   program       ~/.local/opt/fanguai-desk/            (FANGUAI_INSTALL_DIR to change)
#   menu entry    ~/.local/share/applications/fanguai-desk.desktop
#   icon          ~/.local/share/icons/hicolor/256x256/apps/fanguai-desk.png
#   command       ~/.local/bin/fanguai-desk  → the program (a symbolic link)
# The registry is never in the program folder: the app keeps it in ~/.local/share/fanguai_desk (or the
# folder chosen with --data / in the app).  Installing over an older version and --uninstall leave the
# registry alone: encrypted personal records are deleted only deliberately, never with the program.
set -euo pipefail
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# In the source tree: packaging/ (bundle in ../dist/fanguai-desk); in the tarball: beside fanguai-desk/.
if [ -x "$script_dir/fanguai-desk/fanguai-desk" ]; then default_bundle="$script_dir/fanguai-desk"
else default_bundle="$script_dir/../dist/fanguai-desk"; fi
prefix="${FANGUAI_INSTALL_DIR:-$HOME/.local/opt/fanguai-desk}"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data_home/applications"
icon="$data_home/icons/hicolor/256x256/apps/fanguai-desk.png"
link="$HOME/.local/bin/fanguai-desk"
registry="$data_home/fanguai_desk"

refresh_menus() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prefix"
    rm -f "$apps/fanguai-desk.desktop" "$icon"
    [ -L "$link" ] && rm -f "$link"
    refresh_menus
    echo "已卸载程序：$prefix"
    [ -d "$registry" ] && echo "登记库数据仍保留在 $registry（加密的个人档案，卸载程序不会删除）。"
    exit 0
fi

bundle="$(cd "${1:-$default_bundle}" && pwd)"
[ -x "$bundle/fanguai-desk" ] || { echo "no bundle at $bundle (run packaging/build.sh)" >&2; exit 2; }
case "$(realpath -m "$prefix")/" in
    "$(realpath -m "$registry")"/*) echo "refusing to install the program inside the registry folder $registry" >&2; exit 2 ;;
esac

# Copy beside, then swap: a failed copy never leaves a half-installed program.
mkdir -p "$(dirname "$prefix")"
rm -rf "$prefix.new" "$prefix.old"
cp -a "$bundle" "$prefix.new"
[ -d "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

install -D -m 0644 "$prefix/_internal/resources/icons/app.png" "$icon"
mkdir -p "$apps"
sed "s|@INSTALL_DIR@|$prefix|g" "$script_dir/fanguai-desk.desktop" > "$apps/fanguai-desk.desktop"
chmod 0644 "$apps/fanguai-desk.desktop"
mkdir -p "$(dirname "$link")"
ln -sfn "$prefix/fanguai-desk" "$link"
refresh_menus

echo "已安装：$prefix"
echo "菜单项：$apps/fanguai-desk.desktop（办公 → 反拐专门档案登记）"
echo "命令行：$link（如 ~/.local/bin 不在 PATH 中，请使用完整路径）"
"$prefix/fanguai-desk" --version
