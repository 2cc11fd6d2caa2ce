"""Issue 26's benchmark: what the community step costs, within one run on the benchmark corpus
(distinct real texts, scripts/bench-extract's data and names gazetteer), release build.

1. ingest into fresh databases with communities (the default) and with --no-communities,
   alternating rounds: the step's own time (the summary's `communities.seconds`) as a share of the
   ingest's wall time (target <= 0.10), and the wall-time ratio of the two ingests.
2. reindex after 1% of the files changed (a sentence naming three places appended to each): the
   step's time against the full ingest's wall time (target <= 0.05), and what it wrote
   (nodes, parent links, entity links, deletions) against the communities there are, and how many
   communities it described again (weight, documents, passages: `communities_described`).

GRAPHINGEST_BENCH_ROUNDS sets the ingest rounds (default 2); medians are compared.
GRAPHINGEST_BENCH_GAZETTEER names the gazetteer in DATA (default gazetteer-names.tsv;
gazetteer-all.tsv adds common-word aliases and gives a graph about eight times larger).
usage: bench_communities.py BIN DATA"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

BIN, DATA = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import fresh_databases  # noqa: E402

ROUNDS = int(os.environ.get("GRAPHINGEST_BENCH_ROUNDS", "2"))
corpus = os.path.join(DATA, "corpus")
gazetteer = os.path.join(DATA, os.environ.get("GRAPHINGEST_BENCH_GAZETTEER", "gazetteer-names.tsv"))
for path in (corpus, gazetteer):
    if not os.path.exists(path):
        sys.exit("bench_communities: %s is missing: run GRAPHINGEST_BENCH_PREPARE_ONLY=1 scripts/bench-extract first" % path)


def run(command, folder, env, extra):
    start = time.perf_counter()
    result = subprocess.run([BIN, command, folder, "--gazetteer", gazetteer, "--json", "--quiet"] + extra,
                            env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("%s failed: %s" % (command, result.stderr[-2000:]))
    return wall, json.loads(result.stdout.strip().splitlines()[-1])


def fresh(database="benchcomm"):
    fresh_databases(database)
    env = dict(os.environ, GRAPHINGEST_DATABASE=database, GRAPHINGEST_POSTGRES="dbname=" + database)
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    return env


def levels(summary):
    return ", ".join("L%d %d (largest %d, Q %.3f)" % (l["level"], l["communities"], l["largest"], l["modularity"])
                     for l in summary.get("levels", []))


def main():
    files = sorted(os.listdir(corpus))
    print("community benchmark: %s, %d files, gazetteer %s" % (corpus, len(files), os.path.basename(gazetteer)))
    print("1. ingest with communities and with --no-communities (alternating, %d rounds)" % ROUNDS)
    walls = {True: [], False: []}
    shares, last = [], None
    for _ in range(ROUNDS):
        for communities in (True, False):
            wall, summary = run("ingest", corpus, fresh(), [] if communities else ["--no-communities"])
            walls[communities].append(wall)
            if communities:
                step = summary["communities"]
                shares.append(step["seconds"] / wall)
                last = step
    print("   with %.1f s, without %.1f s (medians): ratio %.3f; the step %.2f s = %.1f%% of the ingest's wall time (target <= 10%%)"
          % (statistics.median(walls[True]), statistics.median(walls[False]),
             statistics.median(walls[True]) / statistics.median(walls[False]), last["seconds"], 100 * statistics.median(shares)))
    print("   %d entities, %d edges: %s" % (last["entities"], last["edges"], levels(last)))

    print("2. reindex after 1% of the files changed")
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(corpus))) as copy:
        for name in files:
            shutil.copyfile(os.path.join(corpus, name), os.path.join(copy, name))
        env = fresh()
        full, summary = run("ingest", copy, env, [])
        total = summary["communities"]
        nodes = sum(l["communities"] for l in total["levels"])
        changed = files[:: 100][: max(1, len(files) // 100)]
        for revision in range(2):
            for number, name in enumerate(changed):
                with open(os.path.join(copy, name), "a", encoding="utf-8") as out:
                    out.write("\nRevision %d.%d: Ouagadougou, Kathmandu and Tegucigalpa signed it.\n" % (revision, number))
            wall, rx = run("reindex", copy, env, [])
            step = rx["communities"]
            writes = step["nodes_written"] + step["parents_written"] + step["memberships_written"] + step["nodes_deleted"]
            print("   round %d: %d files changed; reindex %.2f s; the step %.2f s = %.1f%% of the full ingest (%.1f s; target <= 5%%); "
                  "wrote %d nodes, %d parent links, %d entity links, %d deletions (%d writes; the graph has %d community nodes, %d entity links); "
                  "described %s communities again"
                  % (revision + 1, len(changed), wall, step["seconds"], 100 * step["seconds"] / full, full, step["nodes_written"],
                     step["parents_written"], step["memberships_written"], step["nodes_deleted"], writes, nodes, total["entities"],
                     step.get("communities_described", "all")))


if __name__ == "__main__":
    main()
