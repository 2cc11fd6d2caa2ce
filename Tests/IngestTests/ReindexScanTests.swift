import Extraction
@testable import Ingest
import Testing

@Suite struct ReindexScanTests {
    @Test(arguments: [
        ("news.jsonl#news-1", "news.jsonl"), ("dir/table.csv#a#b", "dir/table.csv"), ("a#b.txt", "a#b.txt"),
        ("notes/x.md", "notes/x.md"), ("odd#name.jsonl#r1", "odd#name.jsonl"),
    ])
    func recordSourcesNameTheirContainer(source: String, file: String) {
        #expect(ReindexScan.fileSource(of: source) == file)
    }

    @Test func onlyWhatTheWalkWouldHaveFoundCanBeGone() {
        var scan = ReindexScan()
        scan.unreadable = ["broken.jsonl"]
        let plain = CorpusReader.Options()
        #expect(scan.isGone("europe/paris.txt", options: plain))
        #expect(scan.isGone("news.jsonl#news-003", options: plain))
        #expect(!scan.isGone("broken.jsonl#r1", options: plain), "its container could not be read")
        #expect(!scan.isGone("/abs/path/a.txt", options: plain), "given as a path, not found by a walk")
        #expect(!scan.isGone("../up/a.txt", options: plain))
        #expect(!scan.isGone(".hidden/a.txt", options: plain))
        #expect(!scan.isGone("image.png", options: plain), "no reader takes it")

        let filtered = CorpusReader.Options(include: [Glob("*.txt")], exclude: [Glob("drafts")])
        #expect(scan.isGone("europe/paris.txt", options: filtered))
        #expect(!scan.isGone("europe/berlin.md", options: filtered), "left out by --include")
        #expect(!scan.isGone("drafts/a.txt", options: filtered), "left out by --exclude on its folder")
    }
}
