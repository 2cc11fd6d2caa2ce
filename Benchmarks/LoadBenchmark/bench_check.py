"""Issue 15's check-memory benchmark: `graphingest check`'s peak memory (max RSS) on a graph of
10,000 documents and on one of 100,000, in the same run. The target: the same peak for both,
since check holds one range of ids at a time (measured with the default ranges and with ranges of
2,000 ids, which the small corpus fills too). The reference is the same check with one range
holding every id (`--range-size` above the largest id): what check did before ranges, whose
memory grows with the corpus.

The data goes in through `graphingest load` (interchange JSONL, generated, seeded): every
document a distinct source and hash, 12 MENTIONS each over an entity pool that grows with the
corpus (one entity per two documents), so both sides of the check (registry and graph) hold
1.2M MENTIONS at 100,000 documents.

Usage (after `eval "$(scripts/services env)"`, with a release build):
    .venv/bin/python Benchmarks/LoadBenchmark/bench_check.py .build/release/graphingest [SIZES...]
"""
import hashlib, json, os, random, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import fresh_databases  # noqa: E402

BIN = sys.argv[1]
SIZES = [int(size) for size in sys.argv[2:]] or [10_000, 100_000]
MENTIONS_PER_DOCUMENT = 12
# Ranges the small corpus fills too (it has 5,000 entities): with the default 10,000 the small
# corpus's entity range is half empty, so the two corpora do not hold the same range sizes.
SMALL_RANGE = 2_000


def write_jsonl(path, documents):
    rng = random.Random(documents)
    entities = max(1, documents // 2)
    with open(path, "w") as out:
        for i in range(entities):
            out.write(json.dumps({"kind": "entity", "key": "syn:%d" % i, "name": "Entity %d" % i, "type": "Place"}) + "\n")
        for d in range(documents):
            source = "corpus/%06d.txt" % d
            sha = hashlib.sha256(source.encode()).hexdigest()
            out.write(json.dumps({"kind": "document", "source": source, "sha256": sha, "bytes": 2000, "title": source}) + "\n")
            for key in rng.sample(range(entities), min(entities, MENTIONS_PER_DOCUMENT)):
                start = rng.randrange(0, 1900)
                out.write(json.dumps({"kind": "mention", "source": source, "key": "syn:%d" % key, "count": 1,
                                      "spans": [[start, start + 8]]}) + "\n")


def environment(database):
    return dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)


def measured(arguments, env):
    """Runs graphingest; returns (wall seconds, max RSS in MB, last stdout line)."""
    start = time.perf_counter()
    process = subprocess.Popen([BIN] + arguments, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    out, err = process.stdout.read(), process.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("graphingest %s failed (%d): %s" % (arguments[0], code, err))
    return wall, usage.ru_maxrss / 1024, (out.strip().splitlines() or [""])[-1]


results = {}
with tempfile.TemporaryDirectory() as folder:
    for size in SIZES:
        database = "bench_check_%d" % size
        fresh_databases(database)
        env = environment(database)
        path = os.path.join(folder, "corpus-%d.jsonl" % size)
        write_jsonl(path, size)
        subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
        load_wall, _, _ = measured(["load", path, "--json", "--quiet"], env)
        ranged = measured(["check", "--json"], env)
        small_ranges = measured(["check", "--json", "--range-size", str(SMALL_RANGE)], env)
        whole = measured(["check", "--json", "--range-size", "1000000000000"], env)
        report = json.loads(ranged[2])
        if not report["consistent"]:
            sys.exit("the loaded graph is not consistent: %s" % ranged[2])
        results[size] = (ranged, whole, small_ranges)
        print("%7d documents (%d MENTIONS, loaded in %.0f s): check %.1f s, peak %.0f MB; --range-size %d: %.1f s, peak %.0f MB; "
              "one range: %.1f s, peak %.0f MB"
              % (size, size * MENTIONS_PER_DOCUMENT, load_wall, ranged[0], ranged[1], SMALL_RANGE, small_ranges[0], small_ranges[1],
                 whole[0], whole[1]), flush=True)

small, large = min(SIZES), max(SIZES)
if small != large:
    print("peak memory %d vs %d documents: default ranges %.2fx, --range-size %d %.2fx, one range %.2fx"
          % (large, small, results[large][0][1] / results[small][0][1], SMALL_RANGE,
             results[large][2][1] / results[small][2][1], results[large][1][1] / results[small][1][1]))
    print("time %d vs %d documents: ranges %.2fx, one range %.2fx"
          % (large, small, results[large][0][0] / results[small][0][0], results[large][1][0] / results[small][1][0]))
