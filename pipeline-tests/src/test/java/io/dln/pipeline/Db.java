package io.dln.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.data.Example;
import io.dln.core.model.DlnSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct SQL on the real PostgreSQL: what the gateway would write to start a run, and what the tests read back. */
final class Db {

    static final String URL = System.getProperty("dln.db.url",
            System.getenv().getOrDefault("DLN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    static final String USER = System.getenv().getOrDefault("DLN_DB_USER", "postgres");
    private static final ObjectMapper JSON = new ObjectMapper();

    record RunRow(String status, int iteration, String bestP1, String bestP2, String error, String leaseOwner,
                  Double testAccuracy, long tokensUsed, Long tokensSent) {
    }

    record IterationRow(int iteration, String p1, String p2, Double devAccuracy) {
    }

    static UUID insertDataset(String tenant, String name, String instruction, List<String> classes,
                              List<Example> train, List<Example> dev, List<Example> test) {
        UUID id = UUID.randomUUID();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO datasets (id, tenant, name, instruction, output_classes, loss, train_count, dev_count, test_count)
                    VALUES (?, ?, ?, ?, ?::jsonb, 'exact_match', ?, ?, ?)""")) {
                s.setObject(1, id);
                s.setString(2, tenant);
                s.setString(3, name + "-" + id);
                s.setString(4, instruction);
                s.setString(5, JSON.writeValueAsString(classes));
                s.setInt(6, train.size());
                s.setInt(7, dev.size());
                s.setInt(8, test.size());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO dataset_examples (dataset_id, split, position, input, target) VALUES (?, ?, ?, ?, ?)")) {
                addExamples(s, id, "train", train);
                addExamples(s, id, "dev", dev);
                addExamples(s, id, "test", test);
                s.executeBatch();
            }
            c.commit();
            return id;
        } catch (Exception e) {
            throw new IllegalStateException("cannot insert a data set", e);
        }
    }

    static UUID insertRun(String tenant, UUID datasetId, String modelName, DlnSettings settings, String backend, long seed) {
        return insertRun(tenant, datasetId, modelName, settings, backend, seed, null);
    }

    static UUID insertRun(String tenant, UUID datasetId, String modelName, DlnSettings settings, String backend, long seed,
                          Long tokenBudget) {
        return insertRun(tenant, datasetId, modelName, settings, backend, seed, tokenBudget, false);
    }

    static UUID insertRun(String tenant, UUID datasetId, String modelName, DlnSettings settings, String backend, long seed,
                          Long tokenBudget, boolean guided) {
        UUID id = UUID.randomUUID();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO runs (id, tenant, dataset_id, model_name, status, settings, forward_backend, backward_backend,
                                  scoring_backend, seed, iterations, token_budget, guided)
                VALUES (?, ?, ?, ?, 'QUEUED', ?::jsonb, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            s.setObject(3, datasetId);
            s.setString(4, modelName);
            s.setString(5, JSON.writeValueAsString(settings));
            s.setString(6, backend);
            s.setString(7, backend);
            s.setString(8, backend);
            s.setLong(9, seed);
            s.setInt(10, settings.iterations());
            s.setObject(11, tokenBudget);
            s.setBoolean(12, guided);
            s.executeUpdate();
            return id;
        } catch (Exception e) {
            throw new IllegalStateException("cannot insert a run", e);
        }
    }

    static RunRow run(UUID id) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT status, iteration, best_p1, best_p2, error, lease_owner, test_accuracy, tokens_used, tokens_sent"
                        + " FROM runs WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new RunRow(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                        (Double) r.getObject(7), r.getLong(8), (Long) r.getObject(9));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<IterationRow> history(UUID runId) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT iteration, p1, p2, dev_accuracy FROM run_iterations WHERE run_id = ? ORDER BY iteration")) {
            s.setObject(1, runId);
            List<IterationRow> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) rows.add(new IterationRow(r.getInt(1), r.getString(2), r.getString(3), (Double) r.getObject(4)));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registered model of a run: [p1, p2, version], or null. */
    static List<String> modelOf(UUID runId) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT p1, p2, version FROM models WHERE source_run_id = ?")) {
            s.setObject(1, runId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? List.of(r.getString(1), r.getString(2), String.valueOf(r.getInt(3))) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requestCancel(UUID runId) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("UPDATE runs SET cancel_requested = true WHERE id = ?")) {
            s.setObject(1, runId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requestPause(UUID runId) {
        update("UPDATE runs SET pause_requested = true WHERE id = ?", runId);
    }

    /** What the gateway does to resume a paused run. */
    static void resume(UUID runId) {
        update("UPDATE runs SET status = 'QUEUED', pause_requested = false WHERE id = ? AND status = 'PAUSED'", runId);
    }

    private static void update(String sql, UUID runId) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, runId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean hasSchema() {
        try (Connection c = connect(); ResultSet r = c.getMetaData().getTables(null, null, "runs", null)) {
            return r.next();
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL does not answer at " + URL + ": " + e.getMessage(), e);
        }
    }

    private static void addExamples(PreparedStatement s, UUID id, String split, List<Example> examples) throws SQLException {
        for (int i = 0; i < examples.size(); i++) {
            s.setObject(1, id);
            s.setString(2, split);
            s.setInt(3, i);
            s.setString(4, examples.get(i).input());
            s.setString(5, examples.get(i).target());
            s.addBatch();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, System.getenv().getOrDefault("DLN_DB_PASSWORD", ""));
    }
}
