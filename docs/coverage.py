#!/usr/bin/env python3
"""Writes docs/coverage.md: one row per operation of the vendored cognito-idp model.

    python3 docs/coverage.py            # rewrite the table
    python3 docs/coverage.py --check    # exit 1 if the table is not what this writes

For each operation it finds:
- whether `cognito-local` serves it (the operation table, crates/cognito-local/src/ops/table.rs);
- the `cognito` crate's method that calls it (a `pub fn` of crates/cognito/src whose body
  calls the SDK's method), or how the crate exposes the SDK client;
- a test whose own body calls it: a Rust test (`.snake_name(` through the AWS SDK for
  Rust, or `"OperationName"` over plain HTTP) or a Python interop test (`.snake_name(`
  through boto3).

`crates/cognito-local/tests/coverage.rs` checks the table against the model, a running
server and the test files, so the table cannot drift.
"""

import json
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODEL = ROOT / "crates/cognito-local/aws-model/cognito-idp.json"
TABLE = ROOT / "crates/cognito-local/src/ops/table.rs"
OUT = ROOT / "docs/coverage.md"


def snake(name):
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def functions(path, keyword):
    """(start, name, body) of each function of a file, a body running to the next one."""
    text = path.read_text()
    if keyword == "fn":
        pattern = r"^\s*(?:pub(?:\([a-z]+\))? )?(?:async )?fn (\w+)"
    else:
        pattern = r"^(?:async )?def (\w+)"
    starts = [(m.start(), m.group(1)) for m in re.finditer(pattern, text, re.M)]
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        # Without comments: a doc example names the method it documents.
        code = [line for line in text[start:end].splitlines() if not re.match(r"\s*(//|#)", line)]
        yield start, name, "\n".join(code)


def rust_tests():
    for path in sorted(ROOT.glob("crates/*/tests/*.rs")):
        text = path.read_text()
        for _, name, body in functions(path, "fn"):
            # Only test functions: the attribute sits right before them.
            if re.search(r"#\[tokio::test[^\]]*\]\s*(?:async )?fn " + name + r"\b", text):
                yield f"{path.relative_to(ROOT)}::{name}", body


def python_tests():
    for path in sorted((ROOT / "interop").glob("test_*.py")):
        for _, name, body in functions(path, "def"):
            if name.startswith("test_"):
                yield f"{path.relative_to(ROOT)}::{name}", body


def crate_methods():
    """(type, method, body) of the public methods of the `cognito` crate."""
    for path in sorted((ROOT / "crates/cognito/src").glob("*.rs")):
        text = path.read_text()
        for start, name, body in functions(path, "fn"):
            impls = re.findall(r"^impl(?:<[^>]*>)? (\w+) \{", text[:start], re.M)
            if impls:
                public = re.match(r"\s*pub (?:async )?fn ", body) is not None
                yield impls[-1], name, body, public


def crate_method(methods, call, sdk_operations):
    """The public method that makes the call, itself or through a private helper."""
    for owner, name, body, public in methods:
        if call in body:
            if public:
                return f"`{owner}::{name}`"
            for owner2, name2, body2, public2 in methods:
                if public2 and "." + name + "(" in body2:
                    return f"`{owner2}::{name2}`"
    if sdk_operations is not None and call[1:-1] not in sdk_operations:
        return "none: newer than the pinned AWS SDK for Rust (boto3 has it)"
    return f"`Cognito::sdk().{call[1:-1]}()`"


def pinned_sdk_operations():
    """The operations of the AWS SDK for Rust version Cargo.lock pins, if its source is
    in the cargo registry (it is after any build)."""
    lock = (ROOT / "Cargo.lock").read_text()
    found = re.search(r'name = "aws-sdk-cognitoidentityprovider"\nversion = "([^"]+)"', lock)
    home = pathlib.Path(os.environ.get("CARGO_HOME", pathlib.Path.home() / ".cargo"))
    if not found:
        return None
    for source in home.glob(f"registry/src/*/aws-sdk-cognitoidentityprovider-{found.group(1)}/src/operation"):
        return {p.name for p in source.iterdir() if p.is_dir()}
    return None


def build():
    model = json.loads(MODEL.read_text())
    served = set(re.findall(r"^\s*(\w+) => [\w:]+, (?:SigV4|None);", TABLE.read_text(), re.M))
    tests = list(rust_tests()) + list(python_tests())
    methods = list(crate_methods())
    sdk_operations = pinned_sdk_operations()
    rows = []
    for op in sorted(model["operations"]):
        call = "." + snake(op) + "("
        # Through an SDK (`.admin_get_user(`) or over plain HTTP (`"AdminGetUser"`).
        test = next((name for name, body in tests if call in body or f'"{op}"' in body), "")
        method = crate_method(methods, call, sdk_operations)
        rows.append((op, "yes" if op in served else "no", method, f"`{test}`" if test else ""))
    count = sum(1 for r in rows if r[1] == "yes")
    lines = [
        "# Operations of the Cognito user pools API",
        "",
        f"One row per operation of the vendored service model "
        f"(`crates/cognito-local/aws-model`, botocore {(MODEL.parent / 'VERSION').read_text().strip()}): "
        f"whether `cognito-local` serves it ({count} of {len(rows)}), the `cognito` crate's method "
        "(where there is none, the crate hands out the AWS SDK client it uses, `Cognito::sdk()`), "
        "and a test that calls it. Written by `python3 docs/coverage.py`; "
        "`crates/cognito-local/tests/coverage.rs` fails if it drifts from the model, the server, the crate or the tests.",
        "",
        "| Operation | Served | `cognito` crate | Test |",
        "|---|---|---|---|",
    ]
    lines += [f"| {op} | {served} | {method} | {test} |" for op, served, method, test in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    table = build()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.exists() and OUT.read_text() == table else 1)
    OUT.write_text(table)
    print(f"wrote {OUT.relative_to(ROOT)}")
