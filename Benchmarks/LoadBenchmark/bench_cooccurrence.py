"""Issue 14's benchmark: what entity co-occurrence (CO_OCCURS_WITH) costs and yields, on a corpus
of distinct real texts, each cost a ratio against the same job without it in the same run.

Input: scripts/bench-extract's data (bench-data/extract): a corpus of distinct real texts (Python,
Perl and Git documentation, other text under /usr/share/doc) and the ~235k-term names gazetteer.

1. The defaults: `extract` (no servers) with sentence windows at several caps
   (--max-entities-per-window 0 = none, 8, 12, 20, 30); for each, windows, windows with pairs,
   windows over the cap, pairs counted and distinct pairs; the corpus totals are summed from the
   pair lines, so the edges each threshold (--min-cooccurrence 1, 2, 3, 5) leaves are counted too,
   and edges per chunk before the thresholds (no cap, min 1) and after them (the defaults).
2. ingest into fresh databases, with relations (the defaults) and with --no-cooccurrence,
   alternating rounds: wall time ratio (target <= 1.3), edges written.
3. reindex after 1% of the files changed (a sentence appended to each, naming three places the
   gazetteer has once each: an ambiguous name such as Paris names dozens of places, and three of
   them would put the sentence over the cap), with the defaults and with --no-cooccurrence: wall
   time against the full ingest's (target <= 0.05), edges created, updated and deleted.

GRAPHINGEST_BENCH_ROUNDS sets the ingest rounds (default 2); medians are compared.
usage: bench_cooccurrence.py BIN DATA"""
import collections, json, os, shutil, statistics, subprocess, sys, tempfile, time

BIN, DATA = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import arcade, fresh_databases  # noqa: E402

ROUNDS = int(os.environ.get("GRAPHINGEST_BENCH_ROUNDS", "2"))
corpus = os.path.join(DATA, "corpus")
gazetteer = os.path.join(DATA, "gazetteer-names.tsv")
for path in (corpus, gazetteer):
    if not os.path.exists(path):
        sys.exit("bench_cooccurrence: %s is missing: run GRAPHINGEST_BENCH_PREPARE_ONLY=1 scripts/bench-extract first" % path)
CAPS = [0, 8, 12, 20, 30]
THRESHOLDS = [1, 2, 3, 5]
DEFAULT_CAP, DEFAULT_MIN = 12, 2


def extract(cap):
    """Extracts the corpus with a cap; returns the summary and the corpus pair totals."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        command = [BIN, "extract", corpus, "--gazetteer", gazetteer, "--max-file-size", "8GB", "--out", out.name, "--json",
                   "--max-entities-per-window", str(cap)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit("extract failed: " + result.stderr[-2000:])
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        totals = collections.Counter()
        with open(out.name, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith('{"kind":"pair"'):
                    pair = json.loads(line)
                    totals[tuple(sorted((pair["a"], pair["b"])))] += pair["count"]
    return summary, totals


def ingest(folder, relations, database="benchcooc"):
    fresh_databases(database)
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    result = subprocess.run([BIN, "ingest", folder, "--gazetteer", gazetteer, "--json", "--quiet"] + ([] if relations else ["--no-cooccurrence"]),
                            env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("ingest failed: " + result.stderr[-2000:])
    return wall, json.loads(result.stdout.strip().splitlines()[-1]), env


def reindex_rounds(files, relations):
    """A full ingest of a copy of the corpus, then three rounds of: append a sentence to the same
    1% of the files, reindex. The first round follows the ingest at once, while the server still
    digests it; the median is compared with the full ingest."""
    label = "with relations" if relations else "--no-cooccurrence"
    extra = [] if relations else ["--no-cooccurrence"]
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(corpus))) as copy:
        for name in files:
            shutil.copyfile(os.path.join(corpus, name), os.path.join(copy, name))
        full, _, env = ingest(copy, relations)
        changed = files[:: 100][: max(1, len(files) // 100)]
        walls, summaries = [], []
        for revision in range(3):
            for number, name in enumerate(changed):
                with open(os.path.join(copy, name), "a", encoding="utf-8") as out:
                    out.write("\nRevision %d.%d: Ouagadougou, Kathmandu and Tegucigalpa signed it.\n" % (revision, number))
            start = time.perf_counter()
            result = subprocess.run([BIN, "reindex", copy, "--gazetteer", gazetteer, "--json", "--quiet"] + extra,
                                    env=env, capture_output=True, text=True)
            walls.append(time.perf_counter() - start)
            if result.returncode != 0:
                sys.exit("reindex failed: " + result.stderr[-2000:])
            summaries.append(json.loads(result.stdout.strip().splitlines()[-1]))
        reindex = statistics.median(walls)
        rx = summaries[0]
        co = rx.get("cooccurrence", {})
        print("   %s: full ingest %.1f s, reindex of %d changed files %.2f s (median; rounds %s): ratio %.3f (target <= 0.05)"
              % (label, full, len(changed), reindex, ", ".join("%.2f" % w for w in walls), reindex / full))
        print("      first round: extracted %d; edges created %d, updated %d, deleted %d; stages %s"
              % (rx.get("documents_extracted", -1), co.get("edges_created", -1), co.get("edges_updated", -1), co.get("edges_deleted", -1),
                 ", ".join("%s %.2f s" % kv for kv in sorted(rx.get("stage_seconds", {}).items()))))


def main():
    files = sorted(name for name in os.listdir(corpus) if not name.startswith("."))
    megabytes = sum(os.path.getsize(os.path.join(corpus, name)) for name in files) / 1e6
    print("co-occurrence benchmark: %d files, %.1f MB of distinct texts, gazetteer %s, %d cores"
          % (len(files), megabytes, os.path.basename(gazetteer), os.cpu_count() or 1))

    print("1. the defaults: extract with sentence windows, by cap (--max-entities-per-window; 0 = none)")
    print("   %5s %9s %11s %20s %13s %11s | edges at --min-cooccurrence %s"
          % ("cap", "windows", "with pairs", "over cap (% of >=2)", "pairs counted", "pairs", " / ".join(map(str, THRESHOLDS))))
    results = {}
    for cap in CAPS:
        summary, totals = extract(cap)
        results[cap] = (summary, totals)
        crowded = summary["windows_with_pairs"] + summary["windows_over_cap"]
        print("   %5s %9d %11d %11d (%5.2f%%) %13d %11d | %s"
              % (cap or "none", summary["windows"], summary["windows_with_pairs"], summary["windows_over_cap"],
                 100.0 * summary["windows_over_cap"] / max(1, crowded), summary["pairs_counted"], len(totals),
                 " / ".join(str(sum(1 for count in totals.values() if count >= n)) for n in THRESHOLDS)))
    uncapped = results[0][0]["pairs_counted"]
    capped_summary, capped_totals = results[DEFAULT_CAP]
    print("   the cap of %d drops %.1f%% of the pair occurrences, from %.2f%% of the windows with two or more entities"
          % (DEFAULT_CAP, 100.0 * (uncapped - capped_summary["pairs_counted"]) / max(1, uncapped),
             100.0 * capped_summary["windows_over_cap"] / max(1, capped_summary["windows_with_pairs"] + capped_summary["windows_over_cap"])))
    chunks = results[0][0]["chunks"]
    before = len(results[0][1])
    after = sum(1 for count in capped_totals.values() if count >= DEFAULT_MIN)
    print("   %d chunks: edges per chunk %.2f before the thresholds (no cap, min 1: %d edges), %.2f after them (cap %d, min %d: %d edges)"
          % (chunks, before / max(1, chunks), before, after / max(1, chunks), DEFAULT_CAP, DEFAULT_MIN, after))

    print("2. ingest into fresh databases, wall seconds, median of %d alternating rounds" % ROUNDS)
    walls = {True: [], False: []}
    summaries = {}
    for _ in range(ROUNDS):
        for relations in (False, True):
            wall, summary, _ = ingest(corpus, relations)
            walls[relations].append(wall)
            summaries[relations] = summary
    with_relations, without = statistics.median(walls[True]), statistics.median(walls[False])
    figures = summaries[True]["cooccurrence"]
    print("   with relations %.1f s (%d windows, %d over the cap, %d pairs counted, %d edges written), --no-cooccurrence %.1f s: "
          "ratio %.2f (target <= 1.3)" % (with_relations, figures["windows"], figures["windows_over_cap"], figures["pairs_counted"],
                                          figures["edges_created"], without, with_relations / without))
    print("   rounds: with %s; without %s" % (", ".join("%.1f" % w for w in walls[True]), ", ".join("%.1f" % w for w in walls[False])))
    print("   stage busy with relations: " + ", ".join("%s %.1f s" % kv for kv in sorted(summaries[True]["stage_seconds"].items())))

    print("3. reindex after 1% of the files changed, with relations and (the reference) with --no-cooccurrence")
    for relations in (True, False):
        reindex_rounds(files, relations)
    arcade("drop database benchcooc")


main()
