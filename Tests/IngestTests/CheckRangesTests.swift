import Ingest
import Testing

@Suite struct CheckRangesTests {
    @Test func rangesCoverEveryIdOpenAtBothEnds() {
        let ranges = CheckRanges(size: 10).ranges(over: 1...25)
        #expect(ranges == [IDRange(from: .min, below: 11), IDRange(from: 11, below: 21), IDRange(from: 21, below: .max)])
        #expect(ranges.first!.contains(-5) && ranges.last!.contains(999_999))
        #expect(CheckRanges(size: 10).ranges(over: nil) == [IDRange(from: .min, below: .max)])
        #expect(CheckRanges(size: 100).ranges(over: 5...5) == [IDRange(from: .min, below: .max)])
    }

    @Test func partsTakeEveryNthRangeAndTogetherAllOfThem() {
        let all = CheckRanges(size: 3).ranges(over: 1...20)
        let parts = (1...3).map { CheckRanges(size: 3, part: $0, parts: 3).ranges(over: 1...20) }
        #expect(parts[0] == [all[0], all[3], all[6]])
        #expect(Set(parts.flatMap { $0 }) == Set(all) && parts.map(\.count).reduce(0, +) == all.count)
        #expect(CheckRanges(part: 1, parts: 3).takesUnrangedClasses && !CheckRanges(part: 2, parts: 3).takesUnrangedClasses)
    }

    @Test func aRangeNearTheLargestIdDoesNotOverflow() {
        let ranges = CheckRanges(size: 10).ranges(over: (Int64.max - 15)...(Int64.max - 1))
        #expect(ranges.count == 2 && ranges.last!.below == .max)
    }
}
