/// Rows of a registry table read page by page in key order (keyset pagination): each page is
/// one short query, so a reader holds no long transaction and memory stays at one page.
///
/// Iterate with `for try await page in pages { ... }`; each element is a non-empty page.
public struct RegistryPages<Row: Sendable>: AsyncSequence, Sendable {
    /// One page of rows.
    public typealias Element = [Row]

    /// Where the last page ended: the key of its last row.
    package typealias Cursor = (Int64, Int64)

    let fetch: @Sendable (Cursor?) async throws -> [Row]
    let cursor: @Sendable (Row) -> Cursor

    /// Walks pages with `fetch` (the page after a cursor, or the first for nil) and `cursor`.
    package init(fetch: @escaping @Sendable (Cursor?) async throws -> [Row], cursor: @escaping @Sendable (Row) -> Cursor) {
        self.fetch = fetch
        self.cursor = cursor
    }

    /// Reads the next page when asked.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let pages: RegistryPages
        var position: Cursor?
        var finished = false

        /// The next page, or nil after the last one.
        public mutating func next() async throws -> [Row]? {
            guard !finished else { return nil }
            let page = try await pages.fetch(position)
            guard let last = page.last else {
                finished = true
                return nil
            }
            position = pages.cursor(last)
            return page
        }
    }

    /// Starts at the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: self)
    }
}
