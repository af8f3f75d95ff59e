package io.dln.worker.results;

import io.dln.messages.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * How many partitions {@value Topics#RESULTS} has, so that a request naming a reply partition that does not exist is
 * dead-lettered at intake instead of after the producer's wait for metadata (minutes). Learnt from the broker when first
 * needed and again, at most every {@link #REFRESH_MILLIS} ms, when a request names a partition beyond it (partitions can be
 * added). Reactive Messaging has no API for a topic's partition count, hence the admin client.
 */
@ApplicationScoped
public class ResultPartitions {

    static final long REFRESH_MILLIS = 10_000;
    private static final Logger LOG = Logger.getLogger(ResultPartitions.class);

    private final String bootstrap;
    private volatile Admin admin;
    private volatile int known = -1;
    private volatile long learntAt;

    public ResultPartitions(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** The partition count, or empty when the broker cannot tell (the request is then served and its publishing decides). */
    public synchronized OptionalInt countFor(int partition) {
        long now = System.currentTimeMillis();
        if (known < 0 || (partition >= known && now - learntAt >= REFRESH_MILLIS)) {
            try {
                known = admin().describeTopics(List.of(Topics.RESULTS), new DescribeTopicsOptions().timeoutMs(5_000))
                        .allTopicNames().get(6, TimeUnit.SECONDS).get(Topics.RESULTS).partitions().size();
                learntAt = now;
            } catch (Exception e) {
                LOG.debugf("cannot learn the partitions of %s: %s", Topics.RESULTS, e.toString());
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                return known < 0 ? OptionalInt.empty() : OptionalInt.of(known);
            }
        }
        return OptionalInt.of(known);
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG, "worker-result-partitions",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) admin.close();
    }
}
