"""The reference load for BoltBenchmark and bench_load.py: the official Neo4j Python driver (with
neo4j-rust-ext when installed) writing the same rows with the same statements as `graphingest
load` (Sources/GraphStore/Cypher/GraphCypher.swift): Document and Entity nodes with UNWIND+MERGE
in batches of --batch-size, then MENTIONS replaced per batch of documents cut as `load` cuts its
commits (1,000 documents, or as soon as they hold --batch-size relationships), each batch in one
transaction: delete the documents' MENTIONS, then CREATE the new ones
(GraphWriter.replaceMentions). `load` interleaves the node MERGEs with those batches; the server
work is the same. `--mentions merge` writes MENTIONS with MERGE in batches of --batch-size rows
instead: the statement before the writer switched to delete+CREATE, kept for comparison. Prints
wall and CPU seconds as JSON."""
import argparse, base64, json, os, sys, time, urllib.request

import neo4j

parser = argparse.ArgumentParser()
parser.add_argument("--database", default="boltbench")
parser.add_argument("--batch-size", type=int, default=5000)
parser.add_argument("--mentions", choices=("replace", "merge"), default="replace",
                    help="replace: delete the batch's documents' MENTIONS, then CREATE (as graphingest load); merge: MERGE each")
parser.add_argument("--from-jsonl", metavar="PATH",
                    help="read the rows from interchange JSONL (as `graphingest load` does), inside the timed part")
parser.add_argument("--ensure-database", action="store_true",
                    help="create the database through ArcadeDB's HTTP API (GRAPHINGEST_ARCADEDB_HTTP) and exit")
args = parser.parse_args()

if args.ensure_database:
    # The benchmark empties its database: it gets one of its own, never the tests' `graph`.
    http = os.environ.get("GRAPHINGEST_ARCADEDB_HTTP")
    if not http:
        sys.exit(0)  # not ArcadeDB: the database must exist already
    token = base64.b64encode(("%s:%s" % (os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"])).encode()).decode()
    def call(path, body=None):
        request = urllib.request.Request(http + path, data=body and json.dumps(body).encode(),
                                         headers={"Authorization": "Basic " + token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return json.load(response)
    if args.database not in call("/api/v1/databases")["result"]:
        call("/api/v1/server", {"command": "create database " + args.database})
    sys.exit(0)

def rows_from_jsonl(path):
    """Documents, entities and MENTIONS rows from interchange JSONL, ids given in order of
    appearance (as a registry would), mention lines grouped per document and entity."""
    documents, entities, mentions = [], [], []
    document_ids, entity_ids, entity_lines, pairs = {}, {}, {}, {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            kind = record["kind"]
            if kind == "entity":
                entity_lines[record["key"]] = record
            elif kind == "document":
                document_ids[record["source"]] = len(documents)
                documents.append({"id": len(documents), "source": record["source"], "title": record["title"],
                                  "sha256": record.get("sha256"), "bytes": record.get("bytes"), "version": 1})
            elif kind == "mention":
                key = record["key"]
                if key not in entity_ids:
                    entity = entity_lines[key]
                    entity_ids[key] = len(entities)
                    entities.append({"id": len(entities), "key": key, "name": entity["name"], "type": entity["type"]})
                pair = (document_ids[record["source"]], entity_ids[key])
                row = pairs.get(pair)
                if row is None:
                    row = pairs[pair] = {"d": pair[0], "e": pair[1], "c": 0, "o": []}
                    mentions.append(row)
                row["c"] += record["count"]
                row["o"] = sorted(row["o"] + [span[0] for span in record["spans"]])[:32]
    return documents, entities, mentions


documents = [{"id": i, "source": "docs/%d.txt" % i, "title": "Document %d" % i, "sha256": "0" * 64, "bytes": 1000, "version": 1}
             for i in range(10_000)]
entities = [{"id": i, "key": "geo:%d" % i, "name": "Entity %d" % i, "type": "City"} for i in range(20_000)]
mentions = [{"d": k // 10, "e": (k * 7919) % 20_000, "c": k % 5 + 1,
             "o": [k % 100, k % 100 + 10, k % 100 + 20]} for k in range(100_000)]

# GraphCypher's statements, word for word.
DOCUMENTS = ("UNWIND $rows AS row MERGE (d:Document {id: row.id}) "
             "SET d.source = row.source, d.title = row.title, d.sha256 = row.sha256, d.bytes = row.bytes, d.version = row.version")
ENTITIES = "UNWIND $rows AS row MERGE (e:Entity {id: row.id}) SET e.key = row.key, e.name = row.name, e.type = row.type"
DELETE_MENTIONS = "UNWIND $ids AS id MATCH (d:Document {id: id})-[m:MENTIONS]->() DELETE m"
CREATE_MENTIONS = ("UNWIND $rows AS row MATCH (d:Document {id: row.d}) MATCH (e:Entity {id: row.e}) "
                   "CREATE (d)-[:MENTIONS {count: row.c, offsets: row.o}]->(e)")
# The statement graphingest used before delete+CREATE, for the labelled MERGE figure.
MERGE_MENTIONS = ("UNWIND $rows AS row MATCH (d:Document {id: row.d}) MATCH (e:Entity {id: row.e}) "
                  "MERGE (d)-[m:MENTIONS]->(e) SET m.count = row.c, m.offsets = row.o")

driver = neo4j.GraphDatabase.driver(os.environ["GRAPHINGEST_BOLT_URI"],
                                    auth=(os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"]))
with driver.session(database=args.database) as session:
    for statement in ("CREATE CONSTRAINT IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
                      "CREATE CONSTRAINT IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE"):
        session.run(statement).consume()

def write(tx, query, rows):
    tx.run(query, rows=rows).consume()


def replace_mentions(tx, ids, rows):
    tx.run(DELETE_MENTIONS, ids=ids).consume()
    if rows:
        tx.run(CREATE_MENTIONS, rows=rows).consume()


def document_batches(documents, rows, limit, documents_per_batch=1000):
    """The documents in batches as `graphingest load` cuts its commits (a batch closes once it
    holds 1,000 documents or at least `limit` MENTIONS), with their MENTIONS sorted by (entity,
    document) like the writer's rows (a stable lock order)."""
    by_document = {}
    for row in rows:
        by_document.setdefault(row["d"], []).append(row)
    batch_ids, batch_rows = [], []
    for document in documents:
        if len(batch_ids) >= documents_per_batch or len(batch_rows) >= limit:
            yield batch_ids, sorted(batch_rows, key=lambda r: (r["e"], r["d"]))
            batch_ids, batch_rows = [], []
        batch_ids.append(document["id"])
        batch_rows.extend(by_document.get(document["id"], ()))
    if batch_ids:
        yield batch_ids, sorted(batch_rows, key=lambda r: (r["e"], r["d"]))


cpu_start, wall_start = time.process_time(), time.perf_counter()
if args.from_jsonl:
    documents, entities, mentions = rows_from_jsonl(args.from_jsonl)
with driver.session(database=args.database) as session:
    for query, rows in ((DOCUMENTS, documents), (ENTITIES, entities)):
        for start in range(0, len(rows), args.batch_size):
            session.execute_write(write, query, rows[start:start + args.batch_size])
    if args.mentions == "replace":
        for ids, rows in document_batches(documents, mentions, args.batch_size):
            session.execute_write(replace_mentions, ids, rows)
    else:
        for start in range(0, len(mentions), args.batch_size):
            session.execute_write(write, MERGE_MENTIONS, mentions[start:start + args.batch_size])
wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
driver.close()
print(json.dumps({"wall": wall, "cpu": cpu, "mentions": args.mentions}))
