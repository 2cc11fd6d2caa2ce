"""Issue 6's load benchmark: `graphingest load` of interchange JSONL (10,000 documents, 20,000
entities, 100,000 MENTIONS) against the official Neo4j Python driver (with neo4j-rust-ext when
installed) writing the same rows with the same statements into the same, emptied server, in one
run: UNWIND+MERGE for the nodes, and for MENTIONS what `load` does, per batch of documents in one
transaction: delete their MENTIONS, then CREATE the new ones (reference.py --mentions replace).
The driver's figure with MERGE for MENTIONS (the statement `load` used before) is printed beside
it, labelled as such: it is not the same job.

Prints wall seconds, client CPU seconds, rows/s and the ratios. graphingest does more than the
driver here (it also registers every document and entity in PostgreSQL and records the mention
snapshots); its client CPU is that of the graphingest process alone, start-up included. The
driver runs twice: with its rows already in memory (its write loop alone), and reading the same
JSONL file (json.loads per line, ids assigned in order), which is the same job as `load`.

Run through scripts/bench (which starts the servers and builds in release mode)."""
import base64, json, os, resource, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1]
DOCUMENTS, ENTITIES, MENTIONS = 10_000, 20_000, 100_000


def arcade(command):
    http = os.environ["GRAPHINGEST_ARCADEDB_HTTP"]
    token = base64.b64encode(("%s:%s" % (os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"])).encode()).decode()
    request = urllib.request.Request(http + "/api/v1/server", data=json.dumps({"command": command}).encode(),
                                     headers={"Authorization": "Basic " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return json.load(response)
    except urllib.error.HTTPError:
        return None


def fresh_databases(name):
    arcade("drop database " + name)
    arcade("create database " + name)
    subprocess.run(["psql", "-qc", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name], check=True, capture_output=True)
    subprocess.run(["psql", "-qc", "CREATE DATABASE %s" % name], check=True, capture_output=True)


def write_jsonl(path):
    sha = "0" * 64
    with open(path, "w") as out:
        for i in range(ENTITIES):
            out.write(json.dumps({"kind": "entity", "key": "geo:%d" % i, "name": "Entity %d" % i, "type": "City"}) + "\n")
        for d in range(DOCUMENTS):
            out.write(json.dumps({"kind": "document", "source": "docs/%d.txt" % d, "sha256": sha, "bytes": 1000, "title": "Document %d" % d}) + "\n")
            for k in range(d * 10, d * 10 + 10):
                start = k % 100
                spans = [[start, start + 5], [start + 10, start + 15], [start + 20, start + 25]]
                out.write(json.dumps({"kind": "mention", "source": "docs/%d.txt" % d, "key": "geo:%d" % ((k * 7919) % ENTITIES),
                                      "count": 3, "spans": spans}) + "\n")


def run_graphingest(path, database):
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([BIN, "load", path, "--json", "--quiet"], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit("graphingest load failed: " + result.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(result.stdout.strip().splitlines()[-1])


def run_reference(database, jsonl=None, mentions="replace"):
    reference = os.path.join(ROOT, "Benchmarks", "BoltBenchmark", "reference.py")
    extra = (["--from-jsonl", jsonl] if jsonl else []) + ["--mentions", mentions]
    result = subprocess.run([sys.executable, reference, "--database", database] + extra, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("reference failed: " + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    rows = DOCUMENTS + ENTITIES + MENTIONS
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "load.jsonl")
        write_jsonl(path)
        fresh_databases("benchload")
        wall, cpu, summary = run_graphingest(path, "benchload")
        runs = {}
        for mentions in ("replace", "merge"):
            for source in ("memory", "jsonl"):
                fresh_databases("benchref")
                runs[mentions, source] = run_reference("benchref", path if source == "jsonl" else None, mentions)
        arcade("drop database benchload")
        arcade("drop database benchref")
    try:
        from importlib.metadata import version
        flavour = "with neo4j-rust-ext %s" % version("neo4j-rust-ext")
    except Exception:
        flavour = "pure Python"
    print("load benchmark: %d documents, %d entities, %d MENTIONS (%d rows), batches of 5,000" % (DOCUMENTS, ENTITIES, MENTIONS, rows))
    print("  graphingest load      wall %6.2f s  client CPU %6.2f s  %8.0f rows/s  %.2f us CPU/row  (also registers in PostgreSQL: %s loaded)"
          % (wall, cpu, rows / wall, cpu / rows * 1e6, summary.get("loaded")))
    labels = {
        ("replace", "memory"): "Python driver (%s), rows in memory" % flavour,
        ("replace", "jsonl"): "Python driver reading the same JSONL",
        ("merge", "memory"): "Python driver, MERGE for MENTIONS, rows in memory",
        ("merge", "jsonl"): "Python driver, MERGE for MENTIONS, reading the same JSONL",
    }
    for key, label in labels.items():
        run = runs[key]
        print("  %-56s wall %6.2f s  client CPU %6.2f s  %8.0f rows/s  %.2f us CPU/row"
              % (label, run["wall"], run["cpu"], rows / run["wall"], run["cpu"] / rows * 1e6))
    print("  ratios, the same statements (delete + CREATE MENTIONS):")
    for source, what in (("memory", "rows in memory"), ("jsonl", "reading the same JSONL")):
        run = runs["replace", source]
        print("    wall %.2fx the driver's, client CPU %.2fx the driver's (%s)" % (wall / run["wall"], cpu / run["cpu"], what))
    print("  ratios against the driver using MERGE for MENTIONS (not the same job; the earlier figure):")
    for source, what in (("memory", "rows in memory"), ("jsonl", "reading the same JSONL")):
        run = runs["merge", source]
        print("    wall %.2fx the driver's, client CPU %.2fx the driver's (%s)" % (wall / run["wall"], cpu / run["cpu"], what))


if __name__ == "__main__":
    main()
