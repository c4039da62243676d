#!/usr/bin/env bash
# Set-up and main job in one command: install missing packages, build, run the default scenario.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
build_apical -DAPICAL_BUILD_TESTS=OFF -DAPICAL_BUILD_BENCH=OFF
cd "$APICAL_ROOT"
# The default scenario until the in-silico BCI cohort lands: BAC firing in the Bahl L5 cell.
"$APICAL_BUILD/cli/apical" run scenarios/bahl2012_bac_firing.json --out runs/bahl2012_bac_firing
