"""Issue 6's load benchmark: `graphingest load` of interchange JSONL (10,000 documents, 20,000
entities, 100,000 MENTIONS) against the official Neo4j Python driver (with neo4j-rust-ext when
installed) doing the same UNWIND+MERGE batches into the same, emptied server, in one run.

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


def run_reference(database, jsonl=None):
    reference = os.path.join(ROOT, "Benchmarks", "BoltBenchmark", "reference.py")
    extra = ["--from-jsonl", jsonl] if jsonl else []
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
        fresh_databases("benchref")
        reference = run_reference("benchref")
        fresh_databases("benchref")
        from_file = run_reference("benchref", path)
        arcade("drop database benchload")
        arcade("drop database benchref")
    ref_wall = reference.get("wall_seconds") or reference.get("wall")
    ref_cpu = reference.get("cpu_seconds") or reference.get("cpu")
    try:
        from importlib.metadata import version
        flavour = "with neo4j-rust-ext %s" % version("neo4j-rust-ext")
    except Exception:
        flavour = "pure Python"
    print("load benchmark: %d documents, %d entities, %d MENTIONS (%d rows), batches of 5,000" % (DOCUMENTS, ENTITIES, MENTIONS, rows))
    print("  graphingest load      wall %6.2f s  client CPU %6.2f s  %8.0f rows/s  %.2f us CPU/row  (also registers in PostgreSQL: %s loaded)"
          % (wall, cpu, rows / wall, cpu / rows * 1e6, summary.get("loaded")))
    print("  Python driver (%s)  wall %6.2f s  client CPU %6.2f s  %8.0f rows/s  %.2f us CPU/row"
          % (flavour, ref_wall, ref_cpu, rows / ref_wall, ref_cpu / rows * 1e6))
    file_wall, file_cpu = from_file["wall"], from_file["cpu"]
    print("  Python driver reading the same JSONL   wall %6.2f s  client CPU %6.2f s  %8.0f rows/s  %.2f us CPU/row"
          % (file_wall, file_cpu, rows / file_wall, file_cpu / rows * 1e6))
    print("  ratios: wall %.2fx the driver's, client CPU %.2fx the driver's (rows in memory)" % (wall / ref_wall, cpu / ref_cpu))
    print("  ratios: wall %.2fx the driver's, client CPU %.2fx the driver's (reading the same JSONL)" % (wall / file_wall, cpu / file_cpu))


if __name__ == "__main__":
    main()
