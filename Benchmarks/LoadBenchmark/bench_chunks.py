"""Issue 13's benchmark: what the lexical graph (Chunk nodes with their text, NEXT_CHUNK,
FROM_CHUNK) costs, each figure a ratio against the same job without chunks in the same run.

Input: scripts/bench-extract's data (bench-data/extract): a corpus of distinct real texts as files
and the same texts as one JSONL file, and the ~200k-term names gazetteer.

1. extract, one core: MB/s with chunking (the default) and with --no-chunks, on the files and on
   the JSONL file, written to /dev/null (target: with / without >= 0.8).
2. ingest into fresh databases: wall time with chunks and with --no-chunks (target: <= 1.5), and
   the chunks written.
3. reindex after 1% of the files changed (a sentence appended to each), with chunks: wall time
   against the full ingest's (target: <= 0.05).

Rounds alternate the two variants (GRAPHINGEST_BENCH_ROUNDS, default 3 for extract, ingest uses
min(rounds, 2)); medians are compared. usage: bench_chunks.py BIN DATA"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

BIN, DATA = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import arcade, fresh_databases  # noqa: E402

ROUNDS = int(os.environ.get("GRAPHINGEST_BENCH_ROUNDS", "3"))
corpus = os.path.join(DATA, "corpus")
jsonl = os.path.join(DATA, "jsonl", "corpus.jsonl")
gazetteer = os.path.join(DATA, "gazetteer-names.tsv")
for path in (corpus, jsonl, gazetteer):
    if not os.path.exists(path):
        sys.exit("bench_chunks: %s is missing: run GRAPHINGEST_BENCH_PREPARE_ONLY=1 scripts/bench-extract first" % path)


def extract(path, chunks):
    command = [BIN, "extract", path, "--gazetteer", gazetteer, "--extraction-workers", "1", "--max-file-size", "8GB",
               "--out", "/dev/null", "--json"] + ([] if chunks else ["--no-chunks"])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("extract failed: " + result.stderr[-2000:])
    summary = json.loads(result.stdout.strip().splitlines()[-1])  # --out is a file: the summary is on stdout
    return summary["mb_per_second"], summary


def ingest(folder, chunks, database="benchchunks"):
    fresh_databases(database)
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    result = subprocess.run([BIN, "ingest", folder, "--gazetteer", gazetteer, "--json", "--quiet"] + ([] if chunks else ["--no-chunks"]),
                            env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("ingest failed: " + result.stderr[-2000:])
    return wall, json.loads(result.stdout.strip().splitlines()[-1]), env


def main():
    files = sorted(name for name in os.listdir(corpus) if not name.startswith("."))
    megabytes = sum(os.path.getsize(os.path.join(corpus, name)) for name in files) / 1e6
    print("chunk benchmark: %d files, %.1f MB of distinct texts (and the same as one JSONL file), gazetteer %s, %d cores"
          % (len(files), megabytes, os.path.basename(gazetteer), os.cpu_count() or 1))

    print("1. extract on one core, MB/s (MB = 2^20 bytes), median of %d alternating rounds" % ROUNDS)
    for label, path in (("files", corpus), ("jsonl", jsonl)):
        rates = {True: [], False: []}
        for _ in range(ROUNDS):
            for chunks in (True, False):
                rates[chunks].append(extract(path, chunks)[0])
        with_chunks, without = statistics.median(rates[True]), statistics.median(rates[False])
        print("   %-5s with chunks %6.2f MB/s, --no-chunks %6.2f MB/s: ratio %.2f (target >= 0.8); rounds %s / %s"
              % (label, with_chunks, without, with_chunks / without,
                 ", ".join("%.1f" % r for r in rates[True]), ", ".join("%.1f" % r for r in rates[False])))

    rounds = max(1, min(ROUNDS, 2))
    print("2. ingest into fresh databases, wall seconds, median of %d alternating rounds" % rounds)
    walls = {True: [], False: []}
    summaries = {}
    for _ in range(rounds):
        for chunks in (False, True):
            wall, summary, _ = ingest(corpus, chunks)
            walls[chunks].append(wall)
            summaries[chunks] = summary
    with_chunks, without = statistics.median(walls[True]), statistics.median(walls[False])
    chunked = summaries[True]
    print("   with chunks %.1f s (%d documents, %d chunks, %.1f a document, %d MENTIONS), --no-chunks %.1f s: ratio %.2f (target <= 1.5)"
          % (with_chunks, chunked["loaded"], chunked.get("chunks", 0), chunked.get("chunks", 0) / max(1, chunked["loaded"]),
             chunked["relationships"], without, with_chunks / without))
    print("   rounds: with %s; without %s" % (", ".join("%.1f" % w for w in walls[True]), ", ".join("%.1f" % w for w in walls[False])))
    print("   stage busy with chunks: " + ", ".join("%s %.1f s" % kv for kv in sorted(chunked["stage_seconds"].items())))

    print("3. reindex after 1% of the files changed, with chunks")
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(corpus))) as copy:
        for name in files:
            shutil.copyfile(os.path.join(corpus, name), os.path.join(copy, name))
        full, summary, env = ingest(copy, True)
        changed = files[:: 100][: max(1, len(files) // 100)]
        for number, name in enumerate(changed):
            with open(os.path.join(copy, name), "a", encoding="utf-8") as out:
                out.write("\nRevision %d: this paragraph was added after the first ingest, in Paris and in Berlin.\n" % number)
        start = time.perf_counter()
        result = subprocess.run([BIN, "reindex", copy, "--gazetteer", gazetteer, "--json", "--quiet"], env=env, capture_output=True, text=True)
        reindex = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit("reindex failed: " + result.stderr[-2000:])
        rx = json.loads(result.stdout.strip().splitlines()[-1])
        print("   full ingest %.1f s, reindex of %d changed files %.2f s: ratio %.3f (target <= 0.05); read %d, extracted %d, loaded %d"
              % (full, len(changed), reindex, reindex / full, rx.get("documents_read", -1), rx.get("documents_extracted", -1), rx.get("loaded", -1)))
    arcade("drop database benchchunks")


main()
