"""Conformance of the local W&B server with the real Python SDK (wandb 0.30, wandb-core).

Writes with wandb.init/log(numbers + Table)/alert/log_artifact/finish, then reads everything back through the
public API, asserting that each read returns what was written. Exits non-zero on the first mismatch.
Driven by test/conformance/conformance.test.ts, which starts the server (with a seed holding one run with known
system metrics) and sets WANDB_BASE_URL, WANDB_API_KEY and friends.
"""

import json
import os
import sys
import tempfile

import requests
import wandb

BASE = os.environ["WANDB_BASE_URL"]
ENTITY = os.environ["CONFORMANCE_ENTITY"]
PROJECT = "conformance"
SEEDED_PROJECT = os.environ["CONFORMANCE_SEEDED_PROJECT"]
SEEDED_RUN = os.environ["CONFORMANCE_SEEDED_RUN"]
SEEDED_EVENTS = json.loads(os.environ["CONFORMANCE_SEEDED_EVENTS"])
CSV = "date,company_name,run_id\n2024-11-03,abeja-geniac,a1b2c3d4\n"

checks = []


def check(name, got, want):
    ok = got == want
    checks.append(name)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": got {got!r}, want {want!r}"), flush=True)
    if not ok:
        sys.exit(1)


# --- write -------------------------------------------------------------------------------------------
run = wandb.init(entity=ENTITY, project=PROJECT, name="Tables_2024-11-03", job_type="update-table",
                 tags=["overall", "latest"], config={"lr": 0.1, "nested": {"k": 1}})
run_id = run.id
for i in range(3):
    run.log({"num": i})
run.log({"usage": wandb.Table(columns=["company", "hours", "n"], data=[["a", 1.5, 1], ["b", 2.0, 2]])})
run.alert(title="Too low utilization rate found.", text="abeja")
work = tempfile.mkdtemp()
csv_path = os.path.join(work, "all_runs_data.csv")
with open(csv_path, "w") as f:
    f.write(CSV)
artifact = wandb.Artifact("all_runs_data", type="dataset")
artifact.add_file(csv_path)
run.log_artifact(artifact)
run.finish()

# --- read back through the public API ------------------------------------------------------------------
api = wandb.Api(timeout=30)
check("projects lists the run's project", PROJECT in [p.name for p in api.projects(ENTITY)], True)

latest = list(api.runs(f"{ENTITY}/{PROJECT}", {"tags": {"$in": ["latest"]}}))
check("runs with tags filter", [r.id for r in latest], [run_id])
r = api.run(f"{ENTITY}/{PROJECT}/{run_id}")
check("run state", r.state, "finished")
check("run displayName", r.name, "Tables_2024-11-03")
check("run config", (r.config.get("lr"), r.config.get("nested")), (0.1, {"k": 1}))
history = list(r.history(pandas=False))
check("history rows", [h.get("num") for h in history if "num" in h], [0, 1, 2])
table_ref = r.summary.get("usage")
check("summary holds the table-file reference", (table_ref or {}).get("_type"), "table-file")
table_file = r.file(table_ref["path"]).download(root=work, replace=True)
with open(table_file.name) as f:
    table_json = json.load(f)
check("table file content", (table_json["columns"], table_json["data"]), (["company", "hours", "n"], [["a", 1.5, 1], ["b", 2.0, 2]]))

seeded = api.run(f"{ENTITY}/{SEEDED_PROJECT}/{SEEDED_RUN}")
events = seeded.history(stream="events", samples=100, pandas=False)
check("events stream of a seeded run", [e.get("system.gpu.0.gpu") for e in events], [e["system.gpu.0.gpu"] for e in SEEDED_EVENTS])

r.tags.remove("latest")
r.update()
check("tags after run.update()", api.run(f"{ENTITY}/{PROJECT}/{run_id}").tags, ["overall"])
# A fresh Api: wandb.Api caches runs() results per path and filter.
check("tags filter after update", [x.id for x in wandb.Api(timeout=30).runs(f"{ENTITY}/{PROJECT}", {"tags": {"$in": ["latest"]}})], [])

art = api.artifact(f"{ENTITY}/{PROJECT}/all_runs_data:latest")
check("artifact version", art.version, "v0")
root = art.download(root=os.path.join(work, "download"))
with open(os.path.join(root, "all_runs_data.csv")) as f:
    check("artifact file content", f.read(), CSV)

alerts = requests.get(f"{BASE}/_local/alerts", auth=("api", os.environ["WANDB_API_KEY"]), timeout=10).json()
check("alert recorded", [(a["title"], a["text"], a["run"]) for a in alerts],
      [("Too low utilization rate found.", "abeja", run_id)])
print(f"conformance: {len(checks)} passed, 0 failed", flush=True)
