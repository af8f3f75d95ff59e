package io.dln.gateway.registry;

import io.dln.core.lm.OutputClasses;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.GatewayConfig;
import io.dln.store.ModelAliasEntity;
import io.dln.store.ModelEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds the version a {@link ModelRef} means. Versions never change once written, so they are cached. Which version
 * an alias, "latest" or the default means is remembered too: once older than
 * {@code dln.gateway.inference.resolve-cache-ttl} it is read again in the background, one read at a time, while
 * requests go on with the version they knew, so no inference call waits for that lookup (an alias moved through this
 * instance is forgotten at once).
 */
@ApplicationScoped
public class ModelResolver {

    private static final Logger LOG = Logger.getLogger(ModelResolver.class);
    private static final int CACHED_VERSIONS = 512;

    private final long resolveTtlNanos;
    private final Map<String, Pointer> pointers = new ConcurrentHashMap<>();
    private final Map<String, ServedModel> versions = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ServedModel> eldest) {
            return size() > CACHED_VERSIONS;
        }
    });

    public ModelResolver(GatewayConfig config) {
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
        Pointer p = pointers.get(key);
        if (p != null) {
            if (p.expiresAt - System.nanoTime() <= 0 && p.refreshing.compareAndSet(false, true)) {
                Thread.ofVirtual().name("alias-refresh").start(() -> refresh(key, p, tenant, ref));
            }
            return p.version;
        }
        int version = QuarkusTransaction.joiningExisting().call(() -> versionOf(tenant, ref));
        remember(key, version);
        return version;
    }

    private void refresh(String key, Pointer stale, String tenant, ModelRef ref) {
        try {
            int version = QuarkusTransaction.requiringNew().call(() -> versionOf(tenant, ref));
            // replaces only the pointer it refreshed: one forgotten meanwhile (its alias moved) stays forgotten
            pointers.replace(key, stale, new Pointer(version, System.nanoTime() + resolveTtlNanos));
        } catch (ApiException gone) {
            pointers.remove(key, stale); // the next request looks it up itself and gets the 404
        } catch (RuntimeException e) {
            LOG.warnf("could not refresh where %s points (%s); still serving version %d", ref.describe(), e.getMessage(), stale.version);
            stale.refreshing.set(false);
        }
    }

    private void remember(String key, int version) {
        if (resolveTtlNanos <= 0) return;
        if (pointers.size() > 10_000) pointers.clear();
        pointers.put(key, new Pointer(version, System.nanoTime() + resolveTtlNanos));
    }

    private record Pointer(int version, long expiresAt, AtomicBoolean refreshing) {
        Pointer(int version, long expiresAt) {
            this(version, expiresAt, new AtomicBoolean());
        }
    }

    private int versionOf(String tenant, ModelRef ref) {
        Integer found;
        if (ModelRef.LATEST.equals(ref.alias())) {
            found = ModelEntity.latestVersion(tenant, ref.name());
        } else if (ref.alias() != null) {
            found = aliased(tenant, ref.name(), ref.alias());
        } else {
            found = aliased(tenant, ref.name(), ModelRef.DEFAULT_ALIAS);
            if (found == null) found = ModelEntity.latestVersion(tenant, ref.name());
        }
        if (found == null) throw ApiException.notFound("model " + ref.describe());
        return found;
    }

    private static Integer aliased(String tenant, String name, String alias) {
        ModelAliasEntity pointer = ModelAliasEntity.findById(new ModelAliasEntity.Key(tenant, name, alias));
        return pointer == null ? null : pointer.version;
    }
}
