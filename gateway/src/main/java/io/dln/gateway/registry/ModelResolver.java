package io.dln.gateway.registry;

import io.dln.core.lm.OutputClasses;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.GatewayConfig;
import io.dln.store.ModelEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the version a {@link ModelRef} means. Versions never change once written, so they are cached; which version
 * an alias, "latest" or the default means is reused for {@code dln.gateway.inference.resolve-cache-ttl} (an alias moved
 * through this instance is forgotten at once).
 */
@ApplicationScoped
public class ModelResolver {

    private static final int CACHED_VERSIONS = 512;

    private final EntityManager em;
    private final long resolveTtlNanos;
    private final Map<String, Pointer> pointers = new ConcurrentHashMap<>();
    private final Map<String, ServedModel> versions = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ServedModel> eldest) {
            return size() > CACHED_VERSIONS;
        }
    });

    public ModelResolver(EntityManager em, GatewayConfig config) {
        this.em = em;
        this.resolveTtlNanos = config.inference().resolveCacheTtl().toNanos();
    }

    /** Forgets where the aliases of {@code name} point, after they moved here. */
    public void forget(String tenant, String name) {
        String prefix = tenant + '\u0000' + name + '\u0000';
        pointers.keySet().removeIf(k -> k.startsWith(prefix));
    }

    public ServedModel resolve(String tenant, ModelRef ref) {
        int version = ref.version() != null ? ref.version() : pointer(tenant, ref);
        String key = tenant + '\u0000' + ref.name() + '\u0000' + version;
        ServedModel cached = versions.get(key);
        if (cached != null) return cached;
        return QuarkusTransaction.joiningExisting().call(() -> {
            ModelEntity m = ModelEntity.<ModelEntity>find("tenant = ?1 and name = ?2 and version = ?3", tenant, ref.name(), version)
                    .firstResult();
            if (m == null) throw ApiException.notFound("model " + ref.describe());
            ServedModel served = new ServedModel(m.name, m.version, m.layers, m.p1, m.p2,
                    m.outputClasses == null ? null : new OutputClasses(m.outputClasses), m.settings, Map.copyOf(m.templates),
                    m.forwardBackend);
            versions.put(key, served);
            return served;
        });
    }

    private int pointer(String tenant, ModelRef ref) {
        String key = tenant + '\u0000' + ref.name() + '\u0000' + (ref.alias() == null ? "" : ref.alias());
        long now = System.nanoTime();
        Pointer p = pointers.get(key);
        if (p != null && p.expiresAt - now > 0) return p.version;
        int version = QuarkusTransaction.joiningExisting().call(() -> versionOf(tenant, ref));
        if (resolveTtlNanos > 0) {
            if (pointers.size() > 10_000) pointers.clear();
            pointers.put(key, new Pointer(version, now + resolveTtlNanos));
        }
        return version;
    }

    private record Pointer(int version, long expiresAt) {
    }

    private int versionOf(String tenant, ModelRef ref) {
        Object found;
        if (ModelRef.LATEST.equals(ref.alias())) {
            found = single("SELECT max(version) FROM models WHERE tenant = ?1 AND name = ?2", tenant, ref.name(), null);
        } else if (ref.alias() != null) {
            found = single("SELECT version FROM model_aliases WHERE tenant = ?1 AND name = ?2 AND alias = ?3", tenant, ref.name(), ref.alias());
        } else {
            found = single("""
                    SELECT coalesce((SELECT version FROM model_aliases WHERE tenant = ?1 AND name = ?2 AND alias = ?3),
                                    (SELECT max(version) FROM models WHERE tenant = ?1 AND name = ?2))""",
                    tenant, ref.name(), ModelRef.DEFAULT_ALIAS);
        }
        if (found == null) throw ApiException.notFound("model " + ref.describe());
        return ((Number) found).intValue();
    }

    private Object single(String sql, String tenant, String name, String alias) {
        var query = em.createNativeQuery(sql).setParameter(1, tenant).setParameter(2, name);
        if (alias != null) query.setParameter(3, alias);
        List<?> rows = query.getResultList();
        return rows.isEmpty() ? null : rows.getFirst();
    }
}
