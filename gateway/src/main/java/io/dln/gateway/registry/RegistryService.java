package io.dln.gateway.registry;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.Losses;
import io.dln.core.template.Template;
import io.dln.core.template.TemplateException;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.StorableText;
import io.dln.gateway.tenants.Ceiling;
import io.dln.gateway.tenants.Ceilings;
import io.dln.gateway.runs.ModelNames;
import io.dln.store.ModelAliasEntity;
import io.dln.store.ModelEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The registry of trained DLNs: immutable versions, movable aliases, export and import. */
@ApplicationScoped
public class RegistryService {

    public static final String ALIAS_PATTERN = "[A-Za-z][A-Za-z0-9._-]{0,99}";
    private static final Logger LOG = Logger.getLogger(RegistryService.class);

    private final EntityManager em;
    private final BackendRegistry backends;
    private final ModelResolver resolver;
    private final Ceilings ceilings;

    public RegistryService(EntityManager em, BackendRegistry backends, ModelResolver resolver, Ceilings ceilings) {
        this.em = em;
        this.backends = backends;
        this.resolver = resolver;
        this.ceilings = ceilings;
    }

    public List<ModelSummary> names(String tenant) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<NameRow> rows = ModelEntity.find("select name, max(version), count(*), max(createdAt) from ModelEntity"
                    + " where tenant = ?1 group by name order by name", tenant).project(NameRow.class).list();
            Map<String, Map<String, Integer>> aliases = aliasesByName(tenant);
            return rows.stream().map(r -> new ModelSummary(r.name(), r.latest(), r.versions(),
                    aliases.getOrDefault(r.name(), Map.of()), r.lastCreated())).toList();
        });
    }

    public List<VersionSummary> versions(String tenant, String name) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<ModelEntity> rows = ModelEntity.list("tenant = ?1 and name = ?2 order by version desc", tenant, name);
            if (rows.isEmpty()) throw ApiException.notFound("model " + name);
            Map<Integer, List<String>> aliases = aliasesByVersion(tenant, name);
            return rows.stream().map(m -> new VersionSummary(m.version, m.layers, m.metrics, m.sourceRunId,
                    aliases.getOrDefault(m.version, List.of()), m.createdAt)).toList();
        });
    }

    public ModelVersionView version(String tenant, String name, int version) {
        return QuarkusTransaction.joiningExisting().call(() -> view(find(tenant, name, version), aliasesByVersion(tenant, name)));
    }

    public Map<String, Integer> aliases(String tenant, String name) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            if (ModelEntity.count("tenant = ?1 and name = ?2", tenant, name) == 0) throw ApiException.notFound("model " + name);
            return aliasesByName(tenant).getOrDefault(name, Map.of());
        });
    }

    /** Points {@code alias} at {@code version}, creating or moving it. */
    public Map<String, Integer> setAlias(String tenant, String name, String alias, int version) {
        checkAlias(alias);
        QuarkusTransaction.requiringNew().run(() -> {
            find(tenant, name, version);
            ModelAliasEntity row = ModelAliasEntity.findById(new ModelAliasEntity.Key(tenant, name, alias));
            if (row == null) {
                row = new ModelAliasEntity();
                row.key = new ModelAliasEntity.Key(tenant, name, alias);
                row.version = version;
                row.updatedAt = OffsetDateTime.now();
                row.persist();
            } else {
                row.version = version;
                row.updatedAt = OffsetDateTime.now();
            }
        });
        resolver.forget(tenant, name);
        LOG.infof("tenant %s: alias %s of model %s now points at version %d", tenant, alias, name, version);
        return aliases(tenant, name);
    }

    public void deleteAlias(String tenant, String name, String alias) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (!ModelAliasEntity.deleteById(new ModelAliasEntity.Key(tenant, name, alias))) {
                throw ApiException.notFound("alias " + alias + " of model " + name);
            }
        });
        resolver.forget(tenant, name);
    }

    public ModelDocument export(String tenant, String name, int version) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ModelEntity m = find(tenant, name, version);
            return new ModelDocument(ModelDocument.FORMAT, m.name, m.version, m.layers, new ModelVersionView.Prompts(m.p1, m.p2),
                    m.outputClasses, m.loss, m.settings, m.templates, m.metrics, m.forwardBackend, m.sourceRunId, m.createdAt,
                    OffsetDateTime.now());
        });
    }

    /** Stores the document as the next version of its name (or of {@code rename}); its source run is not carried over. */
    public ModelVersionView importDocument(String tenant, ModelDocument doc, String rename) {
        String name = rename != null && !rename.isBlank() ? rename.strip() : doc.name();
        check(tenant, doc, name);
        ModelEntity m = new ModelEntity();
        m.id = UUID.randomUUID();
        m.tenant = tenant;
        m.name = name;
        m.layers = doc.layers();
        m.p1 = doc.prompts().p1() == null ? "" : doc.prompts().p1();
        m.p2 = doc.prompts().p2();
        m.outputClasses = doc.outputClasses();
        m.loss = doc.loss() == null ? "exact_match" : doc.loss();
        m.settings = doc.settings();
        m.templates = new LinkedHashMap<>(doc.templates());
        Map<String, Object> metrics = new LinkedHashMap<>(doc.metrics() == null ? Map.of() : doc.metrics());
        metrics.put("importedFrom", doc.name() + (doc.version() == null ? "" : ":" + doc.version()));
        m.metrics = metrics;
        m.forwardBackend = doc.forwardBackend();
        m.createdAt = OffsetDateTime.now();
        QuarkusTransaction.requiringNew().run(() -> {
            // versions of one name are numbered one at a time, also against the trainers registering theirs
            // native: an advisory lock, so two imports of one name cannot take the same version number
            em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))").setParameter(1, tenant + '/' + name).getSingleResult();
            m.version = ModelEntity.nextVersion(tenant, name);
            m.persist();
        });
        resolver.forget(tenant, name);
        LOG.infof("tenant %s: model %s version %d imported", tenant, name, m.version);
        return version(tenant, name, m.version);
    }

    private void check(String tenant, ModelDocument doc, String name) {
        List<FieldProblem> problems = new ArrayList<>();
        String storable = StorableText.problem(name);
        if (storable != null) problems.add(FieldProblem.of("name", storable));
        if (doc.metrics() != null) checkValues(problems, "metrics", doc.metrics());
        if (!ModelDocument.FORMAT.equals(doc.format())) {
            problems.add(FieldProblem.of("format", "must be \"" + ModelDocument.FORMAT + "\""));
        }
        if (!ModelNames.valid(name)) problems.add(FieldProblem.of("name", ModelNames.RULE));
        if (doc.layers() == null || (doc.layers() != 1 && doc.layers() != 2)) problems.add(FieldProblem.of("layers", "must be 1 or 2"));
        if (doc.prompts() == null || doc.prompts().p2() == null) problems.add(FieldProblem.of("prompts.p2", "missing"));
        if (doc.settings() == null) {
            problems.add(FieldProblem.of("settings", "missing"));
        } else {
            doc.settings().violations().forEach(v -> problems.add(FieldProblem.of("settings." + v.field(), v.message())));
            if (doc.layers() != null && doc.settings().layers() != doc.layers().intValue()) {
                problems.add(FieldProblem.of("settings.layers", "differs from layers"));
            }
        }
        if (doc.loss() != null && !Losses.NAMES.contains(doc.loss())) problems.add(FieldProblem.of("loss", "unknown loss '" + doc.loss() + "'"));
        if (doc.outputClasses() != null) {
            try {
                new OutputClasses(doc.outputClasses());
            } catch (IllegalArgumentException e) {
                problems.add(FieldProblem.of("outputClasses", e.getMessage()));
            }
        }
        List<String> roles = doc.layers() != null && doc.layers() == 2 ? List.of("forward", "hidden", "residual") : List.of("forward");
        for (String role : roles) {
            Template t = doc.templates() == null ? null : doc.templates().get(role);
            if (t == null) {
                problems.add(FieldProblem.of("templates." + role, "missing"));
                continue;
            }
            try {
                t.render(Map.of("prompt", "p", "input", "x", "output", "h"));
            } catch (TemplateException e) {
                problems.add(FieldProblem.of("templates." + role, e.getMessage()));
            }
        }
        Ceiling ceiling = ceilings.of(tenant);
        List<String> usable = backends.names().stream().filter(ceiling::allows).sorted().toList();
        if (doc.forwardBackend() == null || !backends.contains(doc.forwardBackend()) || !ceiling.allows(doc.forwardBackend())) {
            problems.add(FieldProblem.of("forwardBackend", (doc.forwardBackend() != null && backends.contains(doc.forwardBackend())
                    ? "backend '" + doc.forwardBackend() + "' is not allowed for this tenant"
                    : "unknown backend '" + doc.forwardBackend() + "'") + "; backends: " + String.join(", ", usable)));
        }
        if (!problems.isEmpty()) throw ApiException.invalid("the model document is invalid: " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s"), problems);
    }

    /** Metrics are free-form JSON: every string in them must be storable and every number finite. */
    private static void checkValues(List<FieldProblem> problems, String field, Object value) {
        if (value instanceof String text) {
            String problem = StorableText.problem(text);
            if (problem != null) problems.add(FieldProblem.of(field, problem));
        } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            problems.add(FieldProblem.of(field, "must be a finite number"));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String keyProblem = StorableText.problem(String.valueOf(k));
                if (keyProblem != null) problems.add(FieldProblem.of(field, keyProblem));
                else checkValues(problems, field + "." + k, v);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) checkValues(problems, field + "[" + i + "]", list.get(i));
        }
    }

    static void checkAlias(String alias) {
        if (alias == null || !alias.matches(ALIAS_PATTERN) || alias.equals(ModelRef.LATEST)) {
            throw ApiException.invalidField("alias", "must be 1-100 letters, digits, '.', '_' or '-', start with a letter, "
                    + "and not be 'latest'");
        }
    }

    private ModelEntity find(String tenant, String name, int version) {
        ModelEntity m = ModelEntity.<ModelEntity>find("tenant = ?1 and name = ?2 and version = ?3", tenant, name, version).firstResult();
        if (m == null) throw ApiException.notFound("model " + name + " version " + version);
        return m;
    }

    private Map<String, Map<String, Integer>> aliasesByName(String tenant) {
        Map<String, Map<String, Integer>> byName = new TreeMap<>();
        ModelAliasEntity.<ModelAliasEntity>list("key.tenant = ?1", tenant)
                .forEach(a -> byName.computeIfAbsent(a.key.name(), n -> new TreeMap<>()).put(a.key.alias(), a.version));
        return byName;
    }

    private Map<Integer, List<String>> aliasesByVersion(String tenant, String name) {
        Map<Integer, List<String>> byVersion = new TreeMap<>();
        ModelAliasEntity.<ModelAliasEntity>list("key.tenant = ?1 and key.name = ?2 order by key.alias", tenant, name)
                .forEach(a -> byVersion.computeIfAbsent(a.version, v -> new ArrayList<>()).add(a.key.alias()));
        return byVersion;
    }

    private static ModelVersionView view(ModelEntity m, Map<Integer, List<String>> aliases) {
        return new ModelVersionView(m.name, m.version, m.layers, new ModelVersionView.Prompts(m.p1, m.p2), m.outputClasses, m.loss,
                m.settings, m.templates, m.metrics, m.forwardBackend, m.sourceRunId, aliases.getOrDefault(m.version, List.of()),
                m.createdAt);
    }

    /** A model name's row of the registry: its latest version, how many versions it has, when the last was made. */
    record NameRow(String name, Integer latest, Long versions, OffsetDateTime lastCreated) {
    }
}
