package io.dln.trainer.bus;

import io.dln.trainer.config.InstanceId;
import io.dln.trainer.config.TrainerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

/**
 * The partition of the results topic this trainer reads, held by a lease in PostgreSQL so that no
 * two live trainers read the same one: workers send each result to the partition its request names.
 */
@ApplicationScoped
public class ResultsSlot {

    private static final Logger LOG = Logger.getLogger(ResultsSlot.class);

    private final EntityManager em;
    private final TrainerConfig config;
    private final String owner;
    private volatile int partition = -1;
    private volatile boolean lost;

    public ResultsSlot(EntityManager em, TrainerConfig config, InstanceId instanceId) {
        this.em = em;
        this.config = config;
        this.owner = instanceId.value();
    }

    /** Claims a free (or expired) slot; fails with the fix when every partition is taken. */
    public synchronized int claim() {
        if (partition >= 0) return partition;
        Integer claimed = QuarkusTransaction.requiringNew().call(() -> {
            // native: an upsert (ON CONFLICT), a claim with FOR UPDATE SKIP LOCKED and the database's clock for leases
            for (int p = 0; p < config.resultsPartitions(); p++) {
                em.createNativeQuery("INSERT INTO trainer_slots (partition_no) VALUES (?1) ON CONFLICT DO NOTHING")
                        .setParameter(1, p).executeUpdate();
            }
            @SuppressWarnings("unchecked")
            var rows = em.createNativeQuery("""
                    UPDATE trainer_slots SET owner = ?1, lease_until = now() + make_interval(secs => ?2)
                    WHERE partition_no = (SELECT partition_no FROM trainer_slots
                                          WHERE partition_no < ?3 AND (owner = ?1 OR owner IS NULL OR lease_until < now())
                                          ORDER BY (owner = ?1) DESC NULLS LAST, partition_no
                                          LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING partition_no""")
                    .setParameter(1, owner).setParameter(2, (double) config.leaseDuration().toSeconds())
                    .setParameter(3, config.resultsPartitions())
                    .getResultList();
            return rows.isEmpty() ? null : ((Number) rows.getFirst()).intValue();
        });
        if (claimed == null) {
            throw new IllegalStateException("every one of the " + config.resultsPartitions()
                    + " results partitions is held by a live trainer; run fewer trainers or give the results topic more partitions"
                    + " (dln.trainer.results-partitions and the topic's partition count)");
        }
        partition = claimed;
        LOG.infof("trainer %s reads results from partition %d", owner, partition);
        return partition;
    }

    /**
     * Extends the lease, or takes the partition back if its lease ran out (a long pause) and no other trainer took it.
     * While another trainer holds it, this one is not ready: its results go to both.
     */
    @Scheduled(every = "${dln.trainer.slot-renewal:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        if (partition < 0) return;
        // native: the lease is timed by the database's clock (now()), the same for every trainer
        boolean renewed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE trainer_slots SET owner = ?3, lease_until = now() + make_interval(secs => ?1)
                        WHERE partition_no = ?2 AND (owner = ?3 OR owner IS NULL OR lease_until < now())""")
                .setParameter(1, (double) config.leaseDuration().toSeconds()).setParameter(2, partition).setParameter(3, owner)
                .executeUpdate() == 1);
        if (renewed == lost) {
            LOG.warnf(renewed ? "trainer %s holds results partition %d again" : "trainer %s lost results partition %d to another trainer",
                    owner, partition);
        }
        lost = !renewed;
    }

    public int partition() {
        return partition;
    }

    /** Whether this trainer holds its results partition (false before it has one, and while another trainer holds it). */
    public boolean held() {
        return partition >= 0 && !lost;
    }
}
