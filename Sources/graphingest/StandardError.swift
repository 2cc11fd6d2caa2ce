import Ingest

/// Writes one line to standard error (progress and messages never go to stdout).
func printError(_ message: String) {
    writeStandardError(message + "\n")
}
