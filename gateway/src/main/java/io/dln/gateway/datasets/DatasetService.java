package io.dln.gateway.datasets;

import io.dln.core.data.Example;
import io.dln.core.data.TargetClasses;
import io.dln.core.lm.OutputClasses;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.common.LimitedInputStream;
import io.dln.gateway.common.Page;
import io.dln.store.DatasetEntity;
import io.dln.store.ExampleEntity;
import io.dln.store.RunEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);
    /** Without output classes, targets are counted only when they look like labels. */
    private static final int MAX_TARGETS_COUNTED = 50;

    private final EntityManager em;
    private final GatewayConfig config;

    public DatasetService(EntityManager em, GatewayConfig config) {
        this.em = em;
        this.config = config;
    }

    /** Reads and checks the whole upload first; stores the data set and its examples in one transaction, or nothing. */
    public DatasetView upload(String tenant, UploadSpec spec, InputStream body) {
        if (exists(tenant, spec.name())) throw nameTaken(spec.name());
        UploadCheck check = new UploadCheck(spec.outputClasses(), config.datasets().maxProblems(), config.datasets().maxExamples());
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (var reader = new InputStreamReader(new LimitedInputStream(body, config.limits().maxUploadSize().asLongValue(), "the upload"), decoder)) {
            spec.format().reader().read(reader, check);
        } catch (CharacterCodingException e) {
            check.problem(null, null, "the upload is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upload failed", e);
        }
        List<List<Example>> splits = check.split(spec.seed());
        if (check.problemCount() > 0) {
            int listed = check.problems().size();
            throw new ApiException(400, "invalid_dataset", "the upload has " + check.problemCount() + " problem"
                    + (check.problemCount() == 1 ? "" : "s") + (listed < check.problemCount() ? " (the first " + listed + " listed)" : "")
                    + "; nothing was stored", check.problems(), Map.of());
        }
        return store(tenant, spec, splits);
    }

    private DatasetView store(String tenant, UploadSpec spec, List<List<Example>> splits) {
        DatasetEntity row = new DatasetEntity();
        row.id = UUID.randomUUID();
        row.tenant = tenant;
        row.name = spec.name();
        row.instruction = spec.instruction() == null ? "" : spec.instruction();
        row.outputClasses = spec.outputClasses() == null ? null : spec.outputClasses().protos();
        row.loss = spec.loss();
        row.trainCount = splits.get(0).size();
        row.devCount = splits.get(1).size();
        row.testCount = splits.get(2).size();
        row.createdAt = OffsetDateTime.now();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                row.persist();
                em.flush();
                // plain JDBC batch: thousands of rows, no entity needed in the session for any of them
                em.unwrap(Session.class).doWork(connection -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO dataset_examples (dataset_id, split, position, input, target) VALUES (?, ?, ?, ?, ?)")) {
                        int pending = 0;
                        for (int s = 0; s < UploadCheck.SPLITS.size(); s++) {
                            List<Example> examples = splits.get(s);
                            for (int i = 0; i < examples.size(); i++) {
                                insert.setObject(1, row.id);
                                insert.setString(2, UploadCheck.SPLITS.get(s));
                                insert.setInt(3, i);
                                insert.setString(4, examples.get(i).input());
                                insert.setString(5, examples.get(i).target());
                                insert.addBatch();
                                if (++pending == 500) {
                                    insert.executeBatch();
                                    pending = 0;
                                }
                            }
                        }
                        if (pending > 0) insert.executeBatch();
                    }
                });
            });
        } catch (PersistenceException e) {
            if (exists(tenant, spec.name())) throw nameTaken(spec.name());
            throw e;
        }
        LOG.infof("data set %s '%s' stored for tenant %s: %d/%d/%d examples", row.id, row.name, tenant,
                row.trainCount, row.devCount, row.testCount);
        return view(row, null, null);
    }

    public Page<DatasetView> list(String tenant, int page, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = DatasetEntity.<DatasetEntity>find("tenant = ?1 order by createdAt desc, id", tenant).page(page, size);
            return new Page<>(query.list().stream().map(d -> view(d, null, null)).toList(), page, size, query.count());
        });
    }

    public DatasetView show(String tenant, UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            DatasetEntity d = find(tenant, id);
            return view(d, classCounts(d), RunEntity.count("datasetId", id));
        });
    }

    /** Refused with 409 while any run (of any state) refers to the data set: its history needs the examples. */
    public void delete(String tenant, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            DatasetEntity d = find(tenant, id);
            long runs = RunEntity.count("datasetId", id);
            if (runs > 0) {
                throw ApiException.conflict("dataset_in_use", "data set " + id + " is used by " + runs + " run"
                        + (runs == 1 ? "" : "s") + "; it cannot be deleted");
            }
            d.delete();
        });
    }

    public DatasetEntity find(String tenant, UUID id) {
        DatasetEntity d = DatasetEntity.findById(id);
        if (d == null || !d.tenant.equals(tenant)) throw ApiException.notFound("data set " + id);
        return d;
    }

    private boolean exists(String tenant, String name) {
        return QuarkusTransaction.joiningExisting().call(() -> DatasetEntity.count("tenant = ?1 and name = ?2", tenant, name) > 0);
    }

    private Map<String, Map<String, Long>> classCounts(DatasetEntity d) {
        List<TargetCount> rows = ExampleEntity.find("select key.split, target, count(*) from ExampleEntity"
                + " where key.datasetId = ?1 group by key.split, target", d.id).project(TargetCount.class).list();
        OutputClasses classes = d.outputClasses == null ? null : new OutputClasses(d.outputClasses);
        if (classes == null && rows.stream().map(TargetCount::target).distinct().count() > MAX_TARGETS_COUNTED) return null;
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String split : UploadCheck.SPLITS) counts.put(split, new TreeMap<>());
        for (TargetCount r : rows) {
            int index = classes == null ? -1 : TargetClasses.indexOf(classes, r.target());
            String label = index < 0 ? r.target() : classes.protos().get(index);
            counts.get(r.split()).merge(label, r.count(), Long::sum);
        }
        return counts;
    }

    /** How many examples of a split have a target. */
    record TargetCount(String split, String target, Long count) {
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict("dataset_exists", "a data set named '" + name + "' already exists");
    }

    static DatasetView view(DatasetEntity d, Map<String, Map<String, Long>> classCounts, Long runs) {
        return new DatasetView(d.id, d.name, d.instruction, d.outputClasses, d.loss,
                new DatasetView.Counts(d.trainCount, d.devCount, d.testCount), classCounts, runs, d.createdAt);
    }
}
