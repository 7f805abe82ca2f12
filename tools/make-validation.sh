#!/usr/bin/env bash
# Regenerate the tables in docs/validation.md from a fresh baseline run:
# run the shipped baseline (REPLICATES, default 30), compare the cube with
# calibration/norway/targets.csv (tools/validate.py) and with the doctors'
# published stocks and flows (tools/validate_doctors.py) and with HELSEMOD's reference
# path (tools/dock.py), and replace the text between the <!-- validation-table -->,
# <!-- doctors-table --> and <!-- docking-table --> markers.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-30}
mkdir -p results
build/hwsim run sim/scenarios/baseline.yaml --replicates "$R" -o results/validation.h5 --quiet --no-progress >/dev/null
/usr/bin/python3 tools/validate.py results/validation.h5 calibration/norway/targets.csv --markdown results/validation_table.md >/dev/null
/usr/bin/python3 tools/validate_doctors.py results/validation.h5 --markdown results/validation_doctors.md >/dev/null
/usr/bin/python3 tools/dock.py results/validation.h5 --markdown results/validation_docking.md >/dev/null
/usr/bin/python3 - <<'PY'
import re
doc = open("docs/validation.md").read()
for tag, path in (("validation-table", "results/validation_table.md"),
                  ("doctors-table", "results/validation_doctors.md"),
                  ("docking-table", "results/validation_docking.md")):
    table = open(path).read()
    doc = re.sub(r"<!-- %s -->.*<!-- /%s -->" % (tag, tag),
                 lambda m: "<!-- %s -->\n%s<!-- /%s -->" % (tag, table, tag), doc, flags=re.S)
open("docs/validation.md", "w").write(doc)
PY
echo "docs/validation.md updated from results/validation.h5 ($R replicates)"
