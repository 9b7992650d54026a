#!/usr/bin/env bash
# test-install.sh — `meson install` into a temporary prefix, then run what was installed
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-install.sh MESON BUILDDIR SRCDIR. TAP output. Installs with DESTDIR (the
# build's prefix under a temporary root), compiles the installed schemas there as the
# post-install step would, and runs the installed hoga: --version, Korean --help from the
# installed catalog, and the headless engine on the installed hoga-exchange until SIGINT.
set -uo pipefail

meson=$1 builddir=$2 srcdir=$3
root=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$root"' EXIT
n=0 failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }

echo "1..7"

if "$meson" install -C "$builddir" --destdir "$root" --no-rebuild --quiet >"$root.log" 2>&1; then
  ok "meson install into a temporary root"
else
  not_ok "meson install into a temporary root" "$(tail -5 "$root.log")"
  exit 1
fi
rm -f "$root.log"

prefix=$(find "$root" -path '*/bin/hoga' -type f | head -1 | xargs dirname | xargs dirname)
hoga=$prefix/bin/hoga
for file in bin/hoga bin/hoga-exchange share/glib-2.0/schemas/io.github.hoga.Hoga.gschema.xml \
            share/applications/io.github.hoga.Hoga.desktop share/metainfo/io.github.hoga.Hoga.metainfo.xml \
            share/icons/hicolor/scalable/apps/io.github.hoga.Hoga.svg \
            share/icons/hicolor/symbolic/apps/io.github.hoga.Hoga-symbolic.svg \
            share/locale/ko/LC_MESSAGES/hoga.mo share/dbus-1/services/io.github.hoga.Hoga.service; do
  [ -e "$prefix/$file" ] || missing="${missing:-} $file"
done
if [ -z "${missing:-}" ]; then ok "the program, exchange, schema, launcher, metainfo, icons, catalog and service are installed"
else not_ok "installed files" "missing:$missing"; fi

glib-compile-schemas --strict "$prefix/share/glib-2.0/schemas"
export GSETTINGS_SCHEMA_DIR=$prefix/share/glib-2.0/schemas GSETTINGS_BACKEND=memory
unset HOGA_EXCHANGE HOGA_LOCALEDIR

version=$("$hoga" --version 2>&1)
if [[ $version == "hoga "[0-9]* ]]; then ok "hoga --version: $version"
else not_ok "hoga --version" "$version"; fi

# The compiled-in LOCALEDIR is the real prefix's; the catalog under the temporary root is
# the installed file, read through the same variable `meson devenv` uses.
help=$(HOGA_LOCALEDIR=$prefix/share/locale LANGUAGE=ko LC_ALL=ko_KR.UTF-8 "$hoga" --help 2>&1)
if grep -q '창 없이 매매 엔진을 실행' <<<"$help"; then ok "hoga --help in Korean from the installed catalog"
else not_ok "hoga --help in Korean" "$(head -3 <<<"$help")"; fi

export XDG_DATA_HOME=$root/data
"$hoga" --headless --config "$srcdir/data/headless-simulated.ini" >"$root/out.jsonl" 2>"$root/err.log" &
pid=$!
for _ in $(seq 1 300); do
  grep -q '"event":"engine-started"' "$root/out.jsonl" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if grep -q '"event":"engine-started"' "$root/out.jsonl"; then
  ok "the installed headless engine starts the installed hoga-exchange and runs"
else
  not_ok "headless engine start" "$(tail -3 "$root/out.jsonl")" "$(tail -3 "$root/err.log")"
fi

kill -INT "$pid"
wait "$pid"
status=$?
if [ "$status" -eq 0 ] && grep -q '"event":"engine-stopped"' "$root/out.jsonl"; then
  ok "SIGINT stops it cleanly (exit 0, journal closed)"
else
  not_ok "clean stop" "exit $status" "$(tail -3 "$root/out.jsonl")"
fi

if [ -s "$root/data/hoga/simulated/journal.sqlite" ]; then ok "its journal is under XDG_DATA_HOME"
else not_ok "journal location" "$(ls -R "$root/data" 2>&1 | head -5)"; fi

exit $((failed > 0))
