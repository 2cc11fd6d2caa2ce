"""Issue 15's benchmark: several `ingest` processes over one corpus through the registry's queue,
each figure a ratio against the same job in the same run.

Input: scripts/bench-extract's data (bench-data/extract): distinct real texts (Python, Perl and
Git documentation, other text under /usr/share/doc) as files and as one JSONL export, and the
gazetteer with alternate names (about a million terms), which the issue meant to make extraction
the heavy part. It does not: the benchmark prints where the process-seconds go (extraction, the
graph-write lock, the registry's co-occurrence pairs), and on this machine the serialized writes
dominate both configurations.

1. Throughput: two processes with one extraction worker each against one process with two, into
   fresh databases, alternating rounds (target: the two processes no slower). Wall time runs from
   the first start to the last exit, gazetteer builds included.
2. Coordination: of the two processes' wall time, the share spent claiming (the claim stage's
   seconds; renewals run beside the work), and registry transactions per document (claims,
   renewals, commits, the workers table) (target: claims at most 2% of the time per document).
3. Scaling: documents per second against the number of processes (1, 2, 4, one extraction worker
   each), on the files and on the JSONL export every process reads.

GRAPHINGEST_BENCH_ROUNDS sets the rounds (default 2); medians are compared.
usage: bench_workers.py BIN DATA"""
import json, os, statistics, subprocess, sys, time

BIN, DATA = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import fresh_databases  # noqa: E402

ROUNDS = int(os.environ.get("GRAPHINGEST_BENCH_ROUNDS", "2"))
corpus = os.path.join(DATA, "corpus")
jsonl = os.path.join(DATA, "jsonl", "corpus.jsonl")
gazetteer = os.path.join(DATA, "gazetteer-all.tsv")
for path in (corpus, jsonl, gazetteer):
    if not os.path.exists(path):
        sys.exit("bench_workers: %s is missing: run GRAPHINGEST_BENCH_PREPARE_ONLY=1 scripts/bench-extract first" % path)


def run(processes, workers, source, database="benchworkers"):
    """`processes` concurrent ingests of `source`, `workers` extraction workers each, into fresh
    databases. Returns the wall seconds and each process's summary."""
    fresh_databases(database)
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    command = [BIN, "ingest", source, "--gazetteer", gazetteer, "--json", "--quiet", "--max-file-size", "8GB",
               "--extraction-workers", str(workers)]
    start = time.perf_counter()
    started = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    outputs = [process.communicate() for process in started]
    wall = time.perf_counter() - start
    for process, (out, err) in zip(started, outputs):
        if process.returncode != 0:
            sys.exit("ingest failed (%d): %s" % (process.returncode, err[-2000:]))
    summaries = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    loaded = sum(s["loaded"] for s in summaries)
    claimed = sum(s["claimed"] for s in summaries)
    if claimed != loaded:
        sys.exit("claimed %d but loaded %d: a document was claimed twice or not loaded" % (claimed, loaded))
    return wall, summaries


def time_shares(rounds):
    """The process-seconds of extraction and of the commit's steps, summed over every process and
    round, each as seconds and as a share of the processes' wall seconds (commit steps of several
    writers overlap, so shares can add up to more than 100%)."""
    process_seconds = sum(s["seconds"] for r in rounds for s in r)
    stages = ["extract", "commit_graph_lock_held", "commit_graph_lock_wait", "commit_registry_pairs", "commit_registry",
              "commit_graph_documents", "commit_cooccurrence", "cooccurrence_sync", "wait_for_others"]
    parts = []
    for stage in stages:
        seconds = sum(s["stage_seconds"].get(stage, 0) for r in rounds for s in r)
        parts.append("%s %.1f s (%.0f%%)" % (stage.replace("commit_", ""), seconds, 100 * seconds / process_seconds))
    return "of %.1f process-seconds: %s" % (process_seconds, ", ".join(parts))


def main():
    files = sum(1 for name in os.listdir(corpus) if not name.startswith("."))
    megabytes = sum(os.path.getsize(os.path.join(corpus, name)) for name in os.listdir(corpus)) / 1e6
    print("workers benchmark: %d files (%.1f MB) and their JSONL export, gazetteer %s, %d cores, %d rounds"
          % (files, megabytes, os.path.basename(gazetteer), os.cpu_count(), ROUNDS))

    # The graph server's JIT compiles its hot paths in the first ingest: a first round would be
    # slower for whichever configuration ran first.
    wall, _ = run(1, 2, corpus)
    print("   warm-up ingest (not counted): %.1f s" % wall)
    print("1. one process with 2 extraction workers against two processes with 1 each (files)")
    one, two, one_summaries, two_summaries = [], [], [], []
    for _ in range(ROUNDS):
        wall, summaries = run(1, 2, corpus)
        one.append(wall)
        one_summaries.append(summaries)
        wall, summaries = run(2, 1, corpus)
        two.append(wall)
        two_summaries.append(summaries)
    print("   1 x 2 workers %.1f s (rounds %s); 2 x 1 worker %.1f s (rounds %s): ratio %.2f (target <= 1.0)"
          % (statistics.median(one), ", ".join("%.1f" % w for w in one), statistics.median(two),
             ", ".join("%.1f" % w for w in two), statistics.median(two) / statistics.median(one)))
    summaries = two_summaries[-1]
    print("   the last two-process round: loaded %s, claimed %s (each document once)"
          % (" + ".join(str(s["loaded"]) for s in summaries), " + ".join(str(s["claimed"]) for s in summaries)))
    for label, rounds in (("1 x 2", one_summaries), ("2 x 1", two_summaries)):
        print("   where the time goes, %s: %s" % (label, time_shares(rounds)))

    print("2. coordination in the two-process rounds")
    claim_seconds = sum(s["stage_seconds"].get("claim", 0) for r in two_summaries for s in r)
    process_seconds = sum(s["seconds"] for r in two_summaries for s in r)
    documents = sum(s["loaded"] for r in two_summaries for s in r)
    claims = sum(s["claims"] for r in two_summaries for s in r)
    transactions = sum(s["registry_transactions"] for r in two_summaries for s in r)
    print("   claiming: %.2f s of %.1f process-seconds = %.2f%% of the time per document (target <= 2%%); "
          "%d claims for %d documents (%.1f per claim), %.1f ms per claim"
          % (claim_seconds, process_seconds, 100 * claim_seconds / process_seconds, claims, documents,
             documents / max(1, claims), 1000 * claim_seconds / max(1, claims)))
    print("   registry transactions: %d for %d documents = %.2f per document (claims, renewals, commits, workers)"
          % (transactions, documents, transactions / max(1, documents)))

    print("3. documents per second by number of processes (1 extraction worker each)")
    for label, source in (("files", corpus), ("JSONL", jsonl)):
        line = []
        for processes in (1, 2, 4):
            walls = [run(processes, 1, source)[0] for _ in range(ROUNDS)]
            wall = statistics.median(walls)
            line.append("%d: %.1f s, %.0f docs/s" % (processes, wall, files / wall))
        print("   %s: %s" % (label, "; ".join(line)))


if __name__ == "__main__":
    main()
