#!/usr/bin/env bash
# Vendors the cognito-idp service model from a botocore release:
#   bash crates/cognito-local/aws-model/update.sh [VERSION]   (default: the pinned one)
# It downloads the botocore wheel from PyPI into a temporary directory, takes
# botocore/data/cognito-idp/2016-04-18/service-2.json(.gz) and its NOTICE, and writes
# them here, indented so that a model update reads as a diff. Then run the tests: the
# coverage test (tests/coverage.rs) names every operation the new model added.
set -euo pipefail
version="${1:-$(cat "$(dirname "$0")/VERSION")}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "botocore==$version"
python3 - "$work" "$here" "$version" <<'PY'
import glob, gzip, json, sys, zipfile
work, here, version = sys.argv[1:]
wheel = zipfile.ZipFile(glob.glob(f"{work}/botocore-*.whl")[0])
names = wheel.namelist()
base = "botocore/data/cognito-idp/2016-04-18/service-2.json"
raw = wheel.read(base) if base in names else gzip.decompress(wheel.read(base + ".gz"))
model = json.loads(raw)
with open(f"{here}/cognito-idp.json", "w") as out:
    json.dump(model, out, indent=1, ensure_ascii=False)
    out.write("\n")
notice = next(n for n in names if n.endswith(".dist-info/NOTICE"))
with open(f"{here}/NOTICE", "wb") as out:
    out.write(wheel.read(notice))
with open(f"{here}/VERSION", "w") as out:
    out.write(version + "\n")
print(f"botocore {version}: {len(model['operations'])} operations")
PY
