package io.dln.gateway.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Removes what the gateway's tests stored in the shared test database, before and after the tests. Left behind,
 * their queued runs would be claimed by the trainers of other modules' tests, which poll the same database.
 */
public final class TestData {

    public static final String TENANT_PREFIX = "gwt-";

    private TestData() {
    }

    public static void deleteAll() {
        String url = System.getenv().getOrDefault("DLN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("DLN_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("DLN_DB_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            if (!tableExists(c, "api_keys")) return; // Flyway has not created the schema yet
            String tenants = "tenant LIKE '" + TENANT_PREFIX + "%'";
            s.executeUpdate("DELETE FROM runs WHERE " + tenants);
            s.executeUpdate("DELETE FROM datasets WHERE " + tenants);
            s.executeUpdate("DELETE FROM model_aliases WHERE " + tenants);
            s.executeUpdate("DELETE FROM models WHERE " + tenants);
            s.executeUpdate("DELETE FROM api_keys WHERE " + tenants + " OR tenant = 'operator'");
            if (tableExists(c, "tenant_daily_tokens")) s.executeUpdate("DELETE FROM tenant_daily_tokens WHERE " + tenants);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clean the test database at " + url + ": " + e.getMessage(), e);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (var rs = c.getMetaData().getTables(null, null, table, null)) {
            return rs.next();
        }
    }
}
