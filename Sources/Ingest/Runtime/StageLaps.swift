/// Times a job's stages one after another: each lap is the time since the previous one.
struct StageLaps {
    private var mark = ContinuousClock.now

    /// Adds the time since the last lap (or since this value was made) to `stage`.
    mutating func lap(_ stage: String, into seconds: inout [String: Double]) {
        let now = ContinuousClock.now
        seconds[stage, default: 0] += (now - mark).seconds
        mark = now
    }
}
