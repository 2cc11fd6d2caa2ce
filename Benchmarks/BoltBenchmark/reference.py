"""The reference load for BoltBenchmark: the official Neo4j Python driver (with neo4j-rust-ext
when installed) doing the same UNWIND+MERGE batches on the same data. Prints wall and CPU
seconds as JSON."""
import argparse, base64, json, os, sys, time, urllib.request

import neo4j

parser = argparse.ArgumentParser()
parser.add_argument("--database", default="boltbench")
parser.add_argument("--batch-size", type=int, default=5000)
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
                documents.append({"id": len(documents), "source": record["source"], "title": record["title"]})
            elif kind == "mention":
                key = record["key"]
                if key not in entity_ids:
                    entity = entity_lines[key]
                    entity_ids[key] = len(entities)
                    entities.append({"id": len(entities), "key": key, "name": entity["name"], "type": entity["type"]})
                pair = (document_ids[record["source"]], entity_ids[key])
                row = pairs.get(pair)
                if row is None:
                    row = pairs[pair] = {"document": pair[0], "entity": pair[1], "count": 0, "offsets": []}
                    mentions.append(row)
                row["count"] += record["count"]
                row["offsets"] = sorted(row["offsets"] + [span[0] for span in record["spans"]])[:32]
    return documents, entities, mentions


documents = [{"id": i, "source": "docs/%d.txt" % i, "title": "Document %d" % i} for i in range(10_000)]
entities = [{"id": i, "key": "geo:%d" % i, "name": "Entity %d" % i, "type": "City"} for i in range(20_000)]
mentions = [{"document": k // 10, "entity": (k * 7919) % 20_000, "count": k % 5 + 1,
             "offsets": [k % 100, k % 100 + 10, k % 100 + 20]} for k in range(100_000)]

DOCUMENTS = "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d.source = row.source, d.title = row.title"
ENTITIES = "UNWIND $rows AS row MERGE (e:Entity {id: row.id}) SET e.key = row.key, e.name = row.name, e.type = row.type"
MENTIONS = ("UNWIND $rows AS row MATCH (d:Document {id: row.document}) MATCH (e:Entity {id: row.entity}) "
            "MERGE (d)-[m:MENTIONS]->(e) SET m.count = row.count, m.offsets = row.offsets")

driver = neo4j.GraphDatabase.driver(os.environ["GRAPHINGEST_BOLT_URI"],
                                    auth=(os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"]))
with driver.session(database=args.database) as session:
    for statement in ("CREATE CONSTRAINT IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
                      "CREATE CONSTRAINT IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE"):
        session.run(statement).consume()

def write(tx, query, rows):
    tx.run(query, rows=rows).consume()

cpu_start, wall_start = time.process_time(), time.perf_counter()
if args.from_jsonl:
    documents, entities, mentions = rows_from_jsonl(args.from_jsonl)
with driver.session(database=args.database) as session:
    for query, rows in ((DOCUMENTS, documents), (ENTITIES, entities), (MENTIONS, mentions)):
        for start in range(0, len(rows), args.batch_size):
            session.execute_write(write, query, rows[start:start + args.batch_size])
wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
driver.close()
print(json.dumps({"wall": wall, "cpu": cpu}))
