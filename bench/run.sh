#!/usr/bin/env bash
# Runs the end-to-end benchmark, first installing the peer validators it
# compares against (check-jsonschema from PyPI in a virtual environment,
# ajv-cli with ajv-formats from npm), both under bench/ and ignored by git.
#
#   bench/run.sh                       # 1k, 10k and 100k entries
#   BENCH_SIZES=1000,10000 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/check-jsonschema ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet check-jsonschema
fi
if [ ! -x node_modules/.bin/ajv ]; then
  npm install --silent --no-audit --no-fund ajv-cli ajv-formats
fi
cd ..
cargo bench --bench catalog
