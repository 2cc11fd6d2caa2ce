import Foundation

/// Headless Chromium (Debian's `chromium-headless-shell`, or `chromium`), for tests that load a
/// page as a person would: a screenshot, the DOM after parsing, and what the page wrote to the
/// console. Found on PATH or at `GRAPHINGEST_CHROMIUM`; missing, a test that needs it fails
/// (unless `GRAPHINGEST_SKIP_INTEGRATION=1` skipped it on purpose).
public struct HeadlessBrowser: Sendable {
    /// The browser is not installed.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "no headless Chromium: run scripts/bootstrap (it installs Debian's chromium-headless-shell) or set GRAPHINGEST_CHROMIUM "
                + "(set GRAPHINGEST_SKIP_INTEGRATION=1 to skip integration tests on purpose)"
        }
    }

    /// What a page load left: the console's messages (Chromium's `CONSOLE` log lines: errors,
    /// uncaught exceptions, refused fetches) and the browser's whole stderr.
    public struct Load: Sendable {
        public var consoleMessages: [String]
        public var stderr: String
    }

    public let executable: String

    /// The browser from `GRAPHINGEST_CHROMIUM`, else the first of `chromium-headless-shell`,
    /// `chromium` on PATH.
    public static func find() throws -> HeadlessBrowser {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["GRAPHINGEST_CHROMIUM"], !path.isEmpty { return HeadlessBrowser(executable: path) }
        let folders = (environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        for name in ["chromium-headless-shell", "chromium"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return HeadlessBrowser(executable: folder + "/" + name)
            }
        }
        throw Missing()
    }

    /// Loads `page` in a window of `width` x `height` CSS pixels and writes a PNG screenshot to
    /// `png`, of `scale` device pixels per CSS pixel.
    public func screenshot(_ page: URL, to png: URL, width: Int, height: Int, scale: Double = 1) throws -> Load {
        let output = try run(["--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--force-device-scale-factor=\(scale)",
                              "--hide-scrollbars", page.absoluteString])
        let messages = output.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Load(consoleMessages: messages, stderr: output.stderr)
    }

    /// Prints `page` to the PDF `pdf` (A4 or Letter, the page's print style sheet).
    public func printToPDF(_ page: URL, to pdf: URL) throws {
        _ = try run(["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", page.absoluteString])
    }

    /// The DOM of `page` after parsing, serialized.
    public func dom(_ page: URL) throws -> String {
        try run(["--dump-dom", page.absoluteString]).stdout
    }

    /// Runs the browser on a profile of its own (tests and people may run it side by side); the
    /// time limit only catches a hang.
    private func run(_ arguments: [String]) throws -> Shell.Output {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let common = ["600", executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
                      "--enable-logging=stderr", "--v=0"]
        return try Shell.run("timeout", common + arguments)
    }
}

/// A PNG's facts, read from its header.
public struct PNGImage: Sendable {
    public var width: Int
    public var height: Int
    public var bytes: Int

    /// Reads `data`'s signature and IHDR; nil when it is not a PNG.
    public init?(_ data: Data) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard data.count > 24, Array(data.prefix(8)) == signature, Array(data[12..<16]) == Array("IHDR".utf8) else { return nil }
        func number(_ offset: Int) -> Int { data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = number(16)
        height = number(20)
        bytes = data.count
    }
}
