import ArgumentParser
import Extraction
import Logging
import Telemetry

// The enums options take as they are: ArgumentParser reads their raw values, and a value outside
// them is a usage error that names the option and lists the values.

extension ExtractionOptions.Ambiguity: ExpressibleByArgument {}
extension Gazetteer.BadLinePolicy: ExpressibleByArgument {}
extension CasePolicy: ExpressibleByArgument {}
extension CooccurrenceOptions.Window: ExpressibleByArgument {}
extension LogLineHandler.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
