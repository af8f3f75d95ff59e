package io.dln.gateway.tenants;

import io.dln.gateway.common.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's ceiling of tokens per tenant and day (UTC), kept in {@code tenant_daily_tokens} so that all gateway
 * instances count together. Two things count: the tokens inference calls used (added in memory and written every
 * {@value #FLUSH_SECONDS} s, so an inference call costs no write) and the token budgets granted to runs (written in
 * the transaction that queues the run, so concurrent runs cannot pass the ceiling). Tenants without a ceiling are
 * not counted.
 */
@ApplicationScoped
public class DailyTokens {

    private static final Logger LOG = Logger.getLogger(DailyTokens.class);
    static final int FLUSH_SECONDS = 2;

    private final Ceilings ceilings;
    private final EntityManager em;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;

    public DailyTokens(Ceilings ceilings, EntityManager em) {
        this.ceilings = ceilings;
        this.em = em;
    }

    void start(@Observes StartupEvent event) {
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("daily-tokens").factory());
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (flusher != null) flusher.shutdownNow();
        flush();
    }

    /** Refuses (429) an inference call of a tenant that has used its tokens of the day. */
    public void checkAvailable(String tenant) {
        Ceiling ceiling = ceilings.of(tenant);
        if (!ceiling.tokensLimited()) return;
        if (usedToday(tenant) >= ceiling.maxTokensPerDay()) throw exhausted(tenant, ceiling.maxTokensPerDay(), 0);
    }

    /** Counts tokens an inference call used. */
    public void used(String tenant, long tokens) {
        if (tokens <= 0 || !ceilings.of(tenant).tokensLimited()) return;
        pending.computeIfAbsent(tenant, t -> new AtomicLong()).addAndGet(tokens);
    }

    /**
     * Grants a run {@code requested} tokens (null: all that is left today) out of the tenant's day, in the caller's
     * transaction; returns the budget to give the run (null when the tenant has no ceiling and none was asked), or
     * refuses (429) when the day has not that many left.
     */
    public Long grant(String tenant, Long requested) {
        Ceiling ceiling = ceilings.of(tenant);
        if (!ceiling.tokensLimited()) return requested;
        LocalDate today = today();
        // native: the day's row is made by an upsert and locked FOR UPDATE; the counters have no entity
        em.createNativeQuery("INSERT INTO tenant_daily_tokens (tenant, day, tokens) VALUES (?1, ?2, 0) ON CONFLICT DO NOTHING")
                .setParameter(1, tenant).setParameter(2, today).executeUpdate();
        long used = ((Number) em.createNativeQuery("SELECT tokens FROM tenant_daily_tokens WHERE tenant = ?1 AND day = ?2 FOR UPDATE")
                .setParameter(1, tenant).setParameter(2, today).getSingleResult()).longValue() + pendingOf(tenant);
        long left = Math.max(0, ceiling.maxTokensPerDay() - used);
        long granted = requested == null ? left : requested;
        if (granted <= 0 || granted > left) throw exhausted(tenant, ceiling.maxTokensPerDay(), left);
        em.createNativeQuery("UPDATE tenant_daily_tokens SET tokens = tokens + ?3 WHERE tenant = ?1 AND day = ?2")
                .setParameter(1, tenant).setParameter(2, today).setParameter(3, granted).executeUpdate();
        known.remove(tenant);
        return granted;
    }

    private long usedToday(String tenant) {
        LocalDate today = today();
        Known k = known.get(tenant);
        if (k == null || !k.day.equals(today) || System.nanoTime() - k.readAt > Duration.ofSeconds(FLUSH_SECONDS).toNanos()) {
            // native: the counters have no entity
            Object found = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                            "SELECT coalesce(sum(tokens), 0) FROM tenant_daily_tokens WHERE tenant = ?1 AND day = ?2")
                    .setParameter(1, tenant).setParameter(2, today).getSingleResult());
            k = new Known(today, ((Number) found).longValue(), System.nanoTime());
            known.put(tenant, k);
        }
        return k.tokens + pendingOf(tenant);
    }

    private long pendingOf(String tenant) {
        AtomicLong p = pending.get(tenant);
        return p == null ? 0 : p.get();
    }

    private void flush() {
        for (Map.Entry<String, AtomicLong> e : pending.entrySet()) {
            long tokens = e.getValue().get();
            if (tokens == 0) continue;
            try {
                // native: an upsert adding to the day's counter
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                                INSERT INTO tenant_daily_tokens (tenant, day, tokens) VALUES (?1, ?2, ?3)
                                ON CONFLICT (tenant, day) DO UPDATE SET tokens = tenant_daily_tokens.tokens + EXCLUDED.tokens""")
                        .setParameter(1, e.getKey()).setParameter(2, today()).setParameter(3, tokens).executeUpdate());
                e.getValue().addAndGet(-tokens);
                known.remove(e.getKey());
            } catch (RuntimeException failure) {
                LOG.warnf("could not write the tokens of tenant %s (%s); trying again", e.getKey(), failure.getClass().getSimpleName());
            }
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static ApiException exhausted(String tenant, long ceiling, long left) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        long untilMidnight = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds() + 1;
        return new ApiException(429, "token_quota_exhausted", "tenant '" + tenant + "' has " + left + " of its " + ceiling
                + " tokens of the day left (a ceiling set by the operator; the day ends at 00:00 UTC)"
                + (left > 0 ? "; ask for a tokenBudget of at most " + left : ""), null,
                Map.of("Retry-After", String.valueOf(untilMidnight)));
    }

    private record Known(LocalDate day, long tokens, long readAt) {
    }
}
