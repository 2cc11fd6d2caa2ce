/// One librdkafka configuration property (`bootstrap.servers`, `sasl.password`, ...).
public struct KafkaProperty: Sendable, Hashable {
    /// librdkafka's name of the property.
    public var name: String
    /// Its value, as librdkafka reads it.
    public var value: String

    /// Makes a property.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Whether the property holds a secret (a password, a key, a token, a JAAS config): its
    /// value is shown and recorded as `***`.
    public var isSecret: Bool {
        let lowered = name.lowercased()
        return ["password", "secret", "jaas", "token", "credential", "ssl.key.pem"].contains { lowered.contains($0) }
    }
}
