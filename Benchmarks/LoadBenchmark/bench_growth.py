"""Issue 12's growth benchmark: does a document cost more when the graph and the registry are
already large? `graphingest ingest` of one batch of new documents into empty databases, against
the same batch into databases that already hold four times as many documents (ingested first,
not timed). Target: at most 1.1 times as long.

The corpus is generated (seeded, so every run gets the same one) and never repeats a text: each
document is ~2 KB of sentences drawn from a 5,000-word vocabulary with ~12 entity names of a
synthetic gazetteer. The base documents and the measured batch mention disjoint entity sets, so
both runs register and write the same number of new entities (a measured batch that reused the
base's entities would flatter the large case).

Usage (after `eval "$(scripts/services env)"`):
    .venv/bin/python Benchmarks/LoadBenchmark/bench_growth.py .build/release/graphingest [BATCH]
"""
import json, os, subprocess, sys, tempfile, time

BIN = sys.argv[1]
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import arcade, fresh_databases  # noqa: E402

from synthetic_corpus import entity_sets, write_corpus, write_gazetteer  # noqa: E402

base_entities, batch_entities = entity_sets(2)


def ingest(folder, gazetteer, database):
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    start = time.perf_counter()
    result = subprocess.run([BIN, "ingest", folder, "--gazetteer", gazetteer, "--json", "--quiet"], env=env,
                            capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("ingest failed: " + result.stderr[-2000:])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return wall, summary


def init(database):
    fresh_databases(database)
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)


with tempfile.TemporaryDirectory() as root:
    gazetteer = os.path.join(root, "gazetteer.tsv")
    write_gazetteer(gazetteer, base_entities + batch_entities)
    base, batch = os.path.join(root, "base"), os.path.join(root, "batch")
    write_corpus(base, BATCH * 4, base_entities, "base")
    write_corpus(batch, BATCH, batch_entities, "batch")
    print("growth benchmark: a batch of %d new documents (~2 KB, never repeated), into empty databases and into "
          "databases holding %d documents" % (BATCH, BATCH * 4))
    results = {"empty": [], "large": []}
    for attempt in range(3):
        init("growth_empty")
        wall, summary = ingest(batch, gazetteer, "growth_empty")
        results["empty"].append((summary["seconds"], wall, summary["loaded"]))
        init("growth_large")
        ingest(base, gazetteer, "growth_large")
        wall, summary = ingest(batch, gazetteer, "growth_large")
        results["large"].append((summary["seconds"], wall, summary["loaded"]))
        print("  run %d: empty %.2f s (process %.2f s), large %.2f s (process %.2f s), %d and %d loaded" %
              (attempt + 1, results["empty"][-1][0], results["empty"][-1][1], results["large"][-1][0], results["large"][-1][1],
               results["empty"][-1][2], results["large"][-1][2]))
    best_empty = min(r[0] for r in results["empty"])
    best_large = min(r[0] for r in results["large"])
    print("  best of three, pipeline seconds: empty %.2f s, large %.2f s: ratio %.2f (target <= 1.1)" %
          (best_empty, best_large, best_large / best_empty))
    for name in ("growth_empty", "growth_large"):
        arcade("drop database " + name)
