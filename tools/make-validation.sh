#!/usr/bin/env bash
# Regenerate the table in docs/validation.md from a fresh baseline run:
# run the shipped baseline (REPLICATES, default 30), compare the cube with
# calibration/norway/targets.csv (tools/validate.py) and replace the text
# between the <!-- validation-table --> markers.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-30}
mkdir -p results
build/hwsim run sim/scenarios/baseline.yaml --replicates "$R" -o results/validation.h5 --quiet --no-progress >/dev/null
/usr/bin/python3 tools/validate.py results/validation.h5 calibration/norway/targets.csv --markdown results/validation_table.md >/dev/null
/usr/bin/python3 - <<'PY'
import re
doc = open("docs/validation.md").read()
table = open("results/validation_table.md").read()
new = re.sub(r"<!-- validation-table -->.*<!-- /validation-table -->",
             "<!-- validation-table -->\n" + table + "<!-- /validation-table -->", doc, flags=re.S)
open("docs/validation.md", "w").write(new)
PY
echo "docs/validation.md updated from results/validation.h5 ($R replicates)"
