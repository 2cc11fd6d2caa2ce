"""Issue 12's regression check: `graphingest load` and `graphingest ingest` of the same inputs by
two builds (the code before a change and after it), alternating, three rounds
(GRAPHINGEST_BENCH_ROUNDS), each run into
fresh databases; prints the best wall and client CPU time of each and the ratios new / old (target: <= 1, "no
slower than today's code").

Inputs: the load benchmark's interchange JSONL (10,000 documents, 20,000 entities, 100,000
MENTIONS) and a generated corpus of never-repeated ~2 KB texts (synthetic_corpus.py).

Usage (after `eval "$(scripts/services env)"`):
    .venv/bin/python Benchmarks/LoadBenchmark/bench_compare.py OLD_BIN NEW_BIN [DOCUMENTS]
"""
import json, os, resource, subprocess, sys, tempfile, time

OLD, NEW = sys.argv[1], sys.argv[2]
DOCUMENTS = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
ROUNDS = int(os.environ.get("GRAPHINGEST_BENCH_ROUNDS", "3"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import arcade, fresh_databases, write_jsonl  # noqa: E402
from synthetic_corpus import entity_sets, write_corpus, write_gazetteer  # noqa: E402


def timed(binary, arguments, database):
    fresh_databases(database)
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([binary, "init"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([binary] + arguments + ["--json", "--quiet"], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        sys.exit("%s %s failed: %s" % (binary, arguments[0], result.stderr[-2000:]))
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return wall, cpu, summary["loaded"]


with tempfile.TemporaryDirectory() as root:
    jsonl = os.path.join(root, "load.jsonl")
    write_jsonl(jsonl)
    corpus, gazetteer = os.path.join(root, "corpus"), os.path.join(root, "gazetteer.tsv")
    (entities,) = entity_sets(1)
    write_gazetteer(gazetteer, entities)
    write_corpus(corpus, DOCUMENTS, entities, "doc")
    jobs = {"load": ["load", jsonl], "ingest": ["ingest", corpus, "--gazetteer", gazetteer]}
    best, best_cpu = {}, {}
    for attempt in range(ROUNDS):
        for job, arguments in jobs.items():
            for label, binary in (("old", OLD), ("new", NEW)):
                wall, cpu, loaded = timed(binary, arguments, "compare")
                best[(job, label)] = min(best.get((job, label), wall), wall)
                best_cpu[(job, label)] = min(best_cpu.get((job, label), cpu), cpu)
                print("  round %d %-6s %s: wall %6.2f s, client CPU %5.2f s, %d documents" % (attempt + 1, job, label, wall, cpu, loaded))
    for job in jobs:
        print("%-6s best of %d: wall old %.2f s, new %.2f s, new / old %.2f (target <= 1); client CPU old %.2f s, new %.2f s, new / old %.2f" %
              (job, ROUNDS, best[(job, "old")], best[(job, "new")], best[(job, "new")] / best[(job, "old")],
               best_cpu[(job, "old")], best_cpu[(job, "new")], best_cpu[(job, "new")] / best_cpu[(job, "old")]))
    arcade("drop database compare")
