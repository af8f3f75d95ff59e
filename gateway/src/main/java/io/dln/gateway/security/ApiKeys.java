package io.dln.gateway.security;

import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.tenants.Ceiling;
import io.dln.gateway.tenants.Ceilings;
import io.dln.store.ApiKeyEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates, lists, revokes and checks API keys. Keys are looked up by their hash and the answer (also "no such key")
 * is cached for {@code dln.gateway.security.key-cache-ttl}, so most requests cost no database read.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final int CACHE_LIMIT = 10_000;

    private final GatewayConfig.Security config;
    private final Ceilings ceilings;
    private final EntityManager em;
    private final Optional<String> bootstrapHash;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeys(GatewayConfig config, Ceilings ceilings, EntityManager em) {
        this.config = config.security();
        this.ceilings = ceilings;
        this.em = em;
        this.bootstrapHash = this.config.bootstrapAdminKey().filter(k -> !k.isBlank()).map(k -> KeyHashing.hash(k.strip()));
        if (bootstrapHash.isEmpty()) {
            LOG.warn("no bootstrap admin key (dln.gateway.security.bootstrap-admin-key): only keys stored in the database work");
        }
    }

    /** What is known of the key without reading the database: the bootstrap key or a cached answer; null if nothing. */
    Optional<Caller> known(String hash) {
        if (bootstrapHash.isPresent() && KeyHashing.sameHash(hash, bootstrapHash.get())) {
            return Optional.of(new Caller(null, "bootstrap", config.bootstrapTenant(), Role.ADMIN, true, null, null));
        }
        Cached cached = cache.get(hash);
        return cached != null && cached.expiresAt - System.nanoTime() > 0 ? cached.caller : null;
    }

    /** Reads the key from the database (blocking) and caches the answer. */
    Optional<Caller> lookUp(String hash) {
        Optional<Caller> found = QuarkusTransaction.joiningExisting().call(() ->
                ApiKeyEntity.<ApiKeyEntity>find("keyHash = ?1 and revokedAt is null", hash).firstResultOptional()
                        .map(ApiKeys::caller));
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(hash, new Cached(found, System.nanoTime() + config.keyCacheTtl().toNanos()));
        return found;
    }

    public CreatedKey create(Caller by, CreateKeyRequest request) {
        String tenant = request.tenant() == null ? by.tenant() : request.tenant();
        if (!tenant.equals(by.tenant()) && !by.operator()) {
            throw new ApiException(403, "forbidden", "an admin key manages the keys of its own tenant; only the operator's "
                    + "bootstrap key creates keys for other tenants");
        }
        Ceiling ceiling = ceilings.of(tenant);
        checkRates(request, ceiling);
        String key = KeyHashing.newKey();
        ApiKeyEntity row = new ApiKeyEntity();
        row.id = UUID.randomUUID();
        row.tenant = tenant;
        row.name = request.name();
        row.role = request.role().name();
        row.keyHash = KeyHashing.hash(key);
        row.keyPrefix = KeyHashing.displayPrefix(key);
        row.requestsPerSecond = request.requestsPerSecond();
        row.burst = request.burst();
        row.createdBy = by.keyId();
        row.createdAt = OffsetDateTime.now();
        QuarkusTransaction.requiringNew().run(() -> {
            // keys of one tenant are counted and added one at a time, so concurrent creations cannot pass the ceiling
            // (native: a PostgreSQL advisory lock)
            em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))").setParameter(1, "api-keys/" + tenant).getSingleResult();
            long active = ApiKeyEntity.count("tenant = ?1 and revokedAt is null", tenant);
            if (active >= ceiling.maxKeys()) {
                throw new ApiException(409, "key_limit_reached", "tenant '" + tenant + "' has " + active + " active keys, its "
                        + "ceiling (set by the operator); revoke one first");
            }
            row.persist();
        });
        LOG.infof("key %s (%s, role %s, tenant %s) created by %s", row.id, row.keyPrefix, request.role().json(), tenant, by.keyName());
        return new CreatedKey(key, view(row));
    }

    private static void checkRates(CreateKeyRequest request, Ceiling ceiling) {
        if (request.requestsPerSecond() != null && request.requestsPerSecond() > ceiling.maxRequestsPerSecond()) {
            throw tooHigh("requestsPerSecond", "at most " + format(ceiling.maxRequestsPerSecond()));
        }
        if (request.burst() != null && request.burst() > ceiling.maxBurst()) {
            throw tooHigh("burst", "at most " + ceiling.maxBurst());
        }
    }

    private static ApiException tooHigh(String field, String bound) {
        String message = "must be " + bound + ", the tenant's ceiling set by the operator";
        return ApiException.invalid(field + ": " + message, List.of(FieldProblem.of(field, message)));
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    public List<KeyView> list(Caller by, String tenantFilter) {
        String tenant = by.operator() ? tenantFilter : by.tenant();
        List<ApiKeyEntity> rows = QuarkusTransaction.joiningExisting().call(() -> tenant == null
                ? ApiKeyEntity.<ApiKeyEntity>list("order by createdAt")
                : ApiKeyEntity.<ApiKeyEntity>list("tenant = ?1 order by createdAt", tenant));
        return rows.stream().map(ApiKeys::view).toList();
    }

    public void revoke(Caller by, UUID id) {
        String hash = QuarkusTransaction.requiringNew().call(() -> {
            ApiKeyEntity row = ApiKeyEntity.findById(id);
            if (row == null || (!by.operator() && !row.tenant.equals(by.tenant()))) throw ApiException.notFound("key " + id);
            if (row.revokedAt == null) row.revokedAt = OffsetDateTime.now();
            return row.keyHash;
        });
        cache.remove(hash);
        LOG.infof("key %s revoked by %s", id, by.keyName());
    }

    static KeyView view(ApiKeyEntity row) {
        return new KeyView(row.id, row.name, row.tenant, Role.parse(row.role), row.keyPrefix, row.requestsPerSecond, row.burst,
                row.createdAt, row.revokedAt);
    }

    private static Caller caller(ApiKeyEntity row) {
        return new Caller(row.id, row.name, row.tenant, Role.parse(row.role), false, row.requestsPerSecond, row.burst);
    }

    private record Cached(Optional<Caller> caller, long expiresAt) {
    }
}
