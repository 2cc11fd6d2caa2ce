import CLibPQ
import IntegrationSupport
import Testing

/// Talks to the real PostgreSQL from scripts/services through libpq's own PG* variables.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct CLibPQIntegrationTests {
    @Test func selectOne() throws {
        try IntegrationEnvironment.requirePostgres()
        let connection = try #require(PQconnectdb(""))
        defer { PQfinish(connection) }
        try #require(PQstatus(connection) == CONNECTION_OK, "\(String(cString: PQerrorMessage(connection)))")
        let result = try #require(PQexec(connection, "SELECT 1"))
        defer { PQclear(result) }
        #expect(PQresultStatus(result) == PGRES_TUPLES_OK)
        #expect(PQntuples(result) == 1)
        #expect(String(cString: PQgetvalue(result, 0, 0)) == "1")
    }
}
