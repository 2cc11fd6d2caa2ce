"""Issue 6's ingest benchmark: `graphingest ingest` of the extraction benchmark's corpus (built by
scripts/bench-extract in bench-data/extract/) with its ~200k-term gazetteer, first on half the
files, then on all of them, each into fresh databases: documents/s, MB/s, peak RSS, and the time
each stage was busy. Memory should stay flat as the corpus doubles, and the wall time should be
within 1.5x of the slowest stage's busy time per worker (the stages overlap)."""
import json, os, shutil, subprocess, sys, tempfile, time

BIN, DATA = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import arcade, fresh_databases  # noqa: E402

corpus = os.path.join(DATA, "corpus")
gazetteer = os.path.join(DATA, "gazetteer-names.tsv")
if not os.path.isdir(corpus) or not os.path.exists(gazetteer):
    sys.exit("bench_ingest: run scripts/bench-extract first (it builds %s and %s)" % (corpus, gazetteer))
files = sorted(os.listdir(corpus))
cores = os.cpu_count() or 1


def ingest(folder, label):
    fresh_databases("benchingest")
    env = dict(os.environ, GRAPHINGEST_DATABASE="benchingest", GRAPHINGEST_POSTGRES="dbname=benchingest")
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    with tempfile.NamedTemporaryFile() as rss:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, BIN, "ingest", folder, "--gazetteer", gazetteer,
                                 "--json", "--quiet"], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak_kb = int(open(rss.name).read().split()[-1])
    if result.returncode != 0:
        sys.exit("ingest failed: " + result.stderr[-2000:])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    stages = summary["stage_seconds"]
    # Busy time per worker: extraction and reading run on all cores, commits on 2 writers.
    per_worker = {"read": stages["read"] / max(1, cores // 2), "plan": stages["plan"],
                  "extract": stages["extract"] / cores, "commit": stages["commit"] / 2}
    slowest = max(per_worker, key=per_worker.get)
    megabytes = summary["bytes"] / 1e6
    print("  %-6s %5d documents %6.1f MB  wall %6.1f s  %6.0f docs/s  %5.2f MB/s  peak RSS %5.0f MB" %
          (label, summary["loaded"], megabytes, wall, summary["loaded"] / wall, megabytes / wall, peak_kb / 1024))
    print("         registry transactions: %d for %d loaded documents = %.3f per document"
          % (summary["registry_transactions"], summary["loaded"], summary["registry_transactions"] / max(1, summary["loaded"])))
    print("         stage busy (summed over workers): " + ", ".join("%s %.1f s" % (k, v) for k, v in sorted(stages.items())))
    # The pipeline's own wall time (from its summary) starts once the gazetteer is loaded: that
    # is what the stages share. The process's wall time adds start-up and the gazetteer load.
    pipeline = summary["seconds"]
    print("         slowest stage per worker: %s %.1f s; pipeline wall %.1f s / slowest = %.2f (target <= 1.5); "
          "process wall / slowest = %.2f (adds %.1f s of start-up and gazetteer load)" %
          (slowest, per_worker[slowest], pipeline, pipeline / max(per_worker[slowest], 1e-9),
           wall / max(per_worker[slowest], 1e-9), wall - pipeline))
    return peak_kb


# A copy, not symbolic links: the reader never follows a link out of the folder it walks.
with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(corpus))) as half:
    for name in files[: len(files) // 2]:
        shutil.copyfile(os.path.join(corpus, name), os.path.join(half, name))
    print("ingest benchmark: %s, %d files, gazetteer %s, %d cores" % (corpus, len(files), os.path.basename(gazetteer), cores))
    small = ingest(half, "half")
full = ingest(corpus, "all")
print("  peak RSS, all / half: %.2f (flat memory: close to 1)" % (full / small))
arcade("drop database benchingest")
