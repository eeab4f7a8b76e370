"""The dashboard pages our job logs, read back with the real Python SDK's public API (wandb 0.30).

For each run holding `latest` in the dashboard project: the summary holds an `html-file` reference under
`dashboard` (overall) or `company_dashboard` (a company), and `run.file(path).download()` gives the page,
whose SHA-256 and size match the reference, as `wandb.Html` media logged by the SDK would.
Exits non-zero on the first mismatch.
"""

import hashlib
import os
import sys
import tempfile

import wandb

PATH = os.environ["PAGES_PROJECT"]
checks = []


def check(name, got, want):
    ok = got == want
    checks.append(name)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": got {got!r}, want {want!r}"), flush=True)
    if not ok:
        sys.exit(1)


api = wandb.Api(timeout=30)
runs = list(api.runs(PATH, {"tags": {"$in": ["latest"]}}))
check("runs holding latest", sorted(t for r in runs for t in r.tags if t != "latest"), ["alpha", "overall"])
work = tempfile.mkdtemp()
for r in runs:
    key = "dashboard" if "overall" in r.tags else "company_dashboard"
    ref = r.summary.get(key) or {}
    check(f"{r.name}: summary[{key}] is an html-file reference", ref.get("_type"), "html-file")
    check(f"{r.name}: media path", ref["path"].startswith(f"media/html/{key}_0_") and ref["path"].endswith(".html"), True)
    with open(r.file(ref["path"]).download(root=os.path.join(work, r.id), replace=True).name, "rb") as f:
        page = f.read()
    check(f"{r.name}: page sha256", hashlib.sha256(page).hexdigest(), ref["sha256"])
    check(f"{r.name}: page size", len(page), ref["size"])
    check(f"{r.name}: a page", page.startswith(b"<!doctype html>"), True)
print(f"pages: {len(checks)} passed, 0 failed", flush=True)
