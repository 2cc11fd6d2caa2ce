import Registry
import Testing

@Suite struct RegistryConnectionSettingsTests {
    @Test func optionWinsOverEnvironment() {
        let settings = RegistryConnectionSettings.resolve(option: "host=a", environment: ["GRAPHINGEST_POSTGRES": "host=b"])
        #expect(settings.conninfo == "host=a")
    }

    @Test func environmentThenLibpqDefaults() {
        #expect(RegistryConnectionSettings.resolve(option: nil, environment: ["GRAPHINGEST_POSTGRES": "host=b"]).conninfo == "host=b")
        #expect(RegistryConnectionSettings.resolve(option: "", environment: [:]).conninfo == "")
    }
}
