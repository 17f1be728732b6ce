#!/bin/sh
# Install what Vigie needs to build, run and test, from Debian's packages and
# the npm registry only. Idempotent: does nothing when everything is present.
set -eu

cd "$(dirname "$0")/.."

DEB_BUILD="build-essential meson ninja-build pkg-config gettext
 libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libcmark-dev
 libyaml-dev libstemmer-dev
 libcurl4-openssl-dev libxlsxwriter-dev libxml2-dev libzip-dev libmagic-dev libpcap-dev
 libcairo2-dev libpango1.0-dev fonts-dejavu-core"
DEB_TEST="clang libclang-rt-14-dev libcmocka-dev curl python3 python3-aiosmtpd
 chromium sqlite3 wrk
 nginx-light poppler-utils"

want=""
# The benchmarks' references (R's survey package for the barometer,
# tshark for the scanner).
DEB_BENCH="r-base-core r-cran-survey tshark"

for p in $DEB_BUILD ${VIGIE_INSTALL_TEST:+$DEB_TEST} ${VIGIE_INSTALL_BENCH:+$DEB_BENCH}; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		want="$want $p"
done

# npm brings the territories data (and, for the tests, the browser driver).
# Node.js may come from elsewhere than Debian (its npm then conflicts with
# Debian's): only ask for Debian's when there is no node or npm at all.
command -v node >/dev/null 2>&1 || want="$want nodejs"
command -v npm >/dev/null 2>&1 || want="$want npm"

if [ -n "$want" ]; then
	echo "vigie: installing Debian packages:$want"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $want
fi

# npm packages: territories data (used by later areas) and browser testing.
if [ -f package.json ] && command -v npm >/dev/null 2>&1; then
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
		echo "vigie: installing npm packages"
		npm ci --no-audit --no-fund --loglevel=error ||
			npm install --no-audit --no-fund --loglevel=error
		touch node_modules
	fi
fi

# The first names the working group's detector reads (node_modules/.vigie/).
if [ -d node_modules/@faker-js/faker ] && command -v node >/dev/null 2>&1 &&
   [ ! -f node_modules/.vigie/prenoms.txt ]; then
	node scripts/firstnames.mjs
fi
