"""Issue 27's consume benchmark: the same records as one JSONL file into `graphingest ingest`, and
as a Kafka topic of 4 partitions (one message per document, produced with `graphingest produce`)
into `graphingest consume --until-end`, one consumer, then two consumers of one group; each into
fresh databases. Prints documents/s and the ratios within the run (targets: consume / ingest >=
0.9; two consumers / one >= 1), with the commit stage's graph-lock time, which shows when the
graph server is the limit. Uses the PostgreSQL and ArcadeDB of scripts/services, and a noida-db of
its own (a fresh data folder holding only the benchmark's topic: the services' broker keeps every
test topic, and noida-db writes all its data out again every few seconds, which on a long-lived
test broker takes most of a core from everything else); GRAPHINGEST_BENCH_KAFKA_BROKERS names
another broker to use instead."""
import atexit, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time, uuid

BIN = sys.argv[1]
DOCUMENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
ROUNDS = int(os.environ.get("GRAPHINGEST_BENCH_ROUNDS", "3"))
# consume's own defaults unless asked otherwise.
ROUND_OPTIONS = [option for name, variable in [("--round-messages", "GRAPHINGEST_BENCH_ROUND_MESSAGES"), ("--round-bytes", "GRAPHINGEST_BENCH_ROUND_BYTES")]
                 if os.environ.get(variable) for option in (name, os.environ[variable])]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_load import arcade, fresh_databases  # noqa: E402
import synthetic_corpus  # noqa: E402



def own_broker():
    """Starts noida-db's Kafka service on a free loopback port with an empty data folder, stopped
    and removed at exit; returns its address."""
    import noida_db
    binary = os.path.join(os.path.dirname(noida_db.__file__), "noida-db")
    folder = tempfile.mkdtemp(prefix="bench-kafka-")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(os.path.join(folder, "kafka.log"), "w")
    process = subprocess.Popen([binary, "start", "--data-dir", os.path.join(folder, "data"), "--host", "127.0.0.1", "--only", "kafka",
                                "--kafka-port", str(port)], stdout=log, stderr=log, stdin=subprocess.DEVNULL)

    def stop():
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    atexit.register(stop)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return "127.0.0.1:%d" % port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    sys.exit("noida-db did not start (log: %s)" % log.name)


BROKERS = os.environ.get("GRAPHINGEST_BENCH_KAFKA_BROKERS") or own_broker()


def cpu_ticks():
    """The machine's busy and total CPU ticks so far (/proc/stat), to tell how busy the cores were
    during a phase: on two cores shared by the servers and the clients, the cores are the limit
    when they are busy nearly all the time."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_since(before):
    busy, total = cpu_ticks()
    return 100.0 * (busy - before[0]) / max(1, total - before[1])


def environment(name):
    return dict(os.environ, GRAPHINGEST_DATABASE=name, GRAPHINGEST_POSTGRES="dbname=" + name)


def summary_of(result, what):
    if result.returncode != 0:
        sys.exit("%s failed: %s" % (what, result.stderr[-2000:]))
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_ingest(corpus, gazetteer):
    fresh_databases("benchconsume")
    env = environment("benchconsume")
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    start, ticks = time.perf_counter(), cpu_ticks()
    result = subprocess.run([BIN, "ingest", corpus, "--gazetteer", gazetteer, "--json", "--quiet"], env=env, capture_output=True, text=True)
    return time.perf_counter() - start, summary_of(result, "ingest"), busy_since(ticks)


def run_consume(topic, gazetteer, consumers):
    fresh_databases("benchconsume")
    env = environment("benchconsume")
    subprocess.run([BIN, "init"], env=env, check=True, capture_output=True)
    group = "bench-" + uuid.uuid4().hex[:8]
    arguments = [BIN, "consume", "--brokers", BROKERS, "--topic", topic, "--group", group, "--until-end", "--gazetteer", gazetteer,
                 "--json", "--quiet", "--extraction-workers", str(max(1, (os.cpu_count() or 1) // consumers)),
                 ] + ROUND_OPTIONS
    start, ticks = time.perf_counter(), cpu_ticks()
    processes = [subprocess.Popen(arguments, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(consumers)]
    outputs = [process.communicate() for process in processes]
    wall, busy = time.perf_counter() - start, busy_since(ticks)
    summaries = []
    for process, (stdout, stderr) in zip(processes, outputs):
        summaries.append(summary_of(subprocess.CompletedProcess(arguments, process.returncode, stdout, stderr), "consume"))
    return wall, summaries, busy


def lock_held(summary):
    return summary["stage_seconds"].get("commit_graph_lock_held", 0.0)


with tempfile.TemporaryDirectory() as folder:
    (entities,) = synthetic_corpus.entity_sets(1)
    gazetteer = os.path.join(folder, "gazetteer.tsv")
    synthetic_corpus.write_gazetteer(gazetteer, entities)
    corpus = os.path.join(folder, "corpus")
    os.makedirs(corpus)
    records = os.path.join(corpus, "records.jsonl")
    with open(records, "w") as out:
        for index in range(DOCUMENTS):
            out.write(json.dumps({"id": "doc%06d" % index, "text": synthetic_corpus.document(entities)}) + "\n")
    megabytes = os.path.getsize(records) / 1e6
    topic = "bench-" + uuid.uuid4().hex[:8]
    subprocess.run([BIN, "produce", "--brokers", BROKERS, "--topic", topic, "--partitions", "4", records], check=True, capture_output=True)
    print("consume benchmark: %d documents (%.1f MB of JSONL), 4 partitions, %d cores, rounds: %s, %s"
          % (DOCUMENTS, megabytes, os.cpu_count() or 1, " ".join(ROUND_OPTIONS) or "consume's defaults", BIN))

    # A first ingest of a part of the records, not measured: a server started just before
    # (ArcadeDB's JVM compiling its hot paths) would otherwise make the first phase the slowest.
    warm_up = os.path.join(folder, "warm-up")
    os.makedirs(warm_up)
    with open(records) as source, open(os.path.join(warm_up, "records.jsonl"), "w") as out:
        for _, line in zip(range(max(1, DOCUMENTS // 4)), source):
            out.write(line)
    run_ingest(warm_up, gazetteer)
    # Shared cores make single figures vary by a fifth from run to run: the three jobs run in
    # turn, ROUNDS times, and the ratios of each round and their medians are printed.
    ratios, scale = [], []
    for number in range(1, ROUNDS + 1):
        print("  round %d of %d" % (number, ROUNDS))
        ingest_wall, ingest, ingest_busy = run_ingest(corpus, gazetteer)
        print("    ingest of the JSONL       %6.1f s  %6.0f docs/s  loaded %d  graph lock held %.1f s  cores busy %.0f%%"
              % (ingest_wall, DOCUMENTS / ingest_wall, ingest["loaded"], lock_held(ingest), ingest_busy))
        one_wall, (one,), one_busy = run_consume(topic, gazetteer, 1)
        print("    consume, one consumer     %6.1f s  %6.0f docs/s  loaded %d in %d rounds  graph lock held %.1f s  cores busy %.0f%%"
              % (one_wall, DOCUMENTS / one_wall, one["loaded"], one["rounds"], lock_held(one), one_busy))
        two_wall, two, two_busy = run_consume(topic, gazetteer, 2)
        print("    consume, two consumers    %6.1f s  %6.0f docs/s  loaded %s  graph lock held %s s  cores busy %.0f%%"
              % (two_wall, DOCUMENTS / two_wall, "+".join(str(s["loaded"]) for s in two), "+".join("%.1f" % lock_held(s) for s in two), two_busy))
        for label, summary in [("ingest", ingest), ("consume", one)]:
            print("    %-8s stage busy: %s" % (label, ", ".join("%s %.1f" % item for item in sorted(summary["stage_seconds"].items()) if item[1] >= 0.05)))
        ratios.append(ingest_wall / one_wall)
        scale.append(one_wall / two_wall)
        print("    consume / ingest %.2f; two consumers / one %.2f (the graph-write lock held %.0f%% of the two's wall time)"
              % (ratios[-1], scale[-1], 100 * sum(lock_held(s) for s in two) / two_wall))
    print("  consume / ingest (docs/s), median of %d: %.2f (target >= 0.9)" % (ROUNDS, statistics.median(ratios)))
    print("  two consumers / one (docs/s), median of %d: %.2f (target >= 1)" % (ROUNDS, statistics.median(scale)))
arcade("drop database benchconsume")
