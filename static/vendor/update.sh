#!/bin/sh
# Installs the chart library (uPlot) for the web pages, reproducibly.
#
#   static/vendor/update.sh          install the locked version with `npm ci` (which
#                                    checks the tarball against the sha512 integrity in
#                                    package-lock.json) and copy its dist files into
#                                    static/vendor/uplot/
#   static/vendor/update.sh --check  the same into a temporary directory, then fail
#                                    unless the committed files are byte-for-byte equal
#
# To move to a new uPlot: edit the version in package.json, run
# `npm install --package-lock-only --ignore-scripts` here, then this script, and commit.
# npm runs only here, never at build time: the files under uplot/ are committed and
# embedded, so `go build` and `parecon serve` need no npm and no network.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-install}
case $mode in install|--check) ;; *) echo "usage: $0 [--check]" >&2; exit 2 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)

pkg=$work/node_modules/uplot
version=$(node -p "require('$pkg/package.json').version")
want=$(node -p "require('$here/package-lock.json').packages['node_modules/uplot'].version")
if [ "$version" != "$want" ]; then
	echo "update.sh: npm installed uplot $version, the lockfile says $want" >&2
	exit 1
fi

out=$work/out
mkdir -p "$out"
cp "$pkg/dist/uPlot.iife.min.js" "$pkg/dist/uPlot.min.css" "$pkg/LICENSE" "$out/"
printf 'uplot %s\n' "$version" >"$out/VERSION"

if [ "$mode" = --check ]; then
	if ! diff -r "$out" "$here/uplot" >&2; then
		echo "update.sh --check: static/vendor/uplot differs from uplot $version as installed from the lockfile; run static/vendor/update.sh and commit" >&2
		exit 1
	fi
	echo "static/vendor/uplot matches uplot $version from package-lock.json"
	exit 0
fi

rm -rf "$here/uplot"
mkdir -p "$here/uplot"
cp "$out"/* "$here/uplot/"
echo "installed uplot $version into static/vendor/uplot"
