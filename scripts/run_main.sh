#!/usr/bin/env bash
# Set-up and main job in one command: install missing packages, build, run the default in-silico BCI
# cohort (6 virtual mice × 14 days, rule R3 with oracle feedback), analyse it and draw its pictures.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
build_apical -DAPICAL_BUILD_TESTS=OFF -DAPICAL_BUILD_BENCH=OFF
cd "$APICAL_ROOT"
"$APICAL_BUILD/cli/apical" run scenarios/francioni2026/cohort_default.json --out runs/cohort_default
# The learning curves, transient frequency by role, example traces and residual contrast (docs/plots.md).
"$APICAL_BUILD/cli/apical" plot runs/cohort_default
