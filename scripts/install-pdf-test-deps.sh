#!/bin/sh
# Installs the tools tests/pdf.rs checks PDFs with: qpdf (structure, JSON
# dump of outline and page labels) and poppler-utils (pdffonts, pdftotext,
# pdftoppm). Idempotent and quiet; Debian/Ubuntu only.
set -eu
missing=""
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
