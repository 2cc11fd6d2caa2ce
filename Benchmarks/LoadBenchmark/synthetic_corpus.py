"""A generated corpus for the ingest benchmarks: seeded (every run gets the same one), never
repeating a text. Each document is ~2 KB of sentences drawn from a 5,000-word vocabulary, with
entity names of a synthetic gazetteer in about six sentences of ten."""
import os, random

rng = random.Random(12)
syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "shi", "dar", "bel", "qu", "ny", "zor", "pe", "ga", "lin", "sta"]


def word(parts):
    return "".join(rng.choice(syllables) for _ in range(parts))


vocabulary = sorted({word(rng.randint(1, 3)) for _ in range(8000)})[:5000]
ENTITIES_PER_SET = 4000


def entity_names(count):
    names = set()
    while len(names) < count:
        names.add(word(2).capitalize() + " " + word(2).capitalize() + "ville")
    return sorted(names)




def document(entities):
    sentences = []
    size = 0
    while size < 2000:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(8, 20))]
        if rng.random() < 0.6:
            words.insert(rng.randint(0, len(words)), rng.choice(entities))
        sentence = " ".join(words).capitalize() + ". "
        sentences.append(sentence)
        size += len(sentence)
    return "".join(sentences)


def write_corpus(folder, count, entities, prefix):
    os.makedirs(folder, exist_ok=True)
    for index in range(count):
        with open(os.path.join(folder, "%s-%06d.txt" % (prefix, index)), "w") as out:
            out.write(document(entities))




def entity_sets(count, size=ENTITIES_PER_SET):
    """`count` disjoint sets of `size` entity names."""
    names = entity_names(count * size)
    return [names[index::count] for index in range(count)]


def write_gazetteer(path, names):
    with open(path, "w") as out:
        out.write("id\tname\ttype\taliases\n")
        for index, name in enumerate(names):
            out.write("syn:%d\t%s\tPlace\t\n" % (index, name))
