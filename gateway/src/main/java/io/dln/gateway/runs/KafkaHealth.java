package io.dln.gateway.runs;

import io.smallrye.health.api.HealthGroup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether the Kafka cluster answers, at /q/health/group/{@value #GROUP}. What the gateway uses Kafka for (progress
 * streams, run commands the trainers also find in the database) is not what a load balancer should route by, so
 * this is not part of readiness.
 */
@HealthGroup(KafkaHealth.GROUP)
@ApplicationScoped
public class KafkaHealth implements HealthCheck {

    public static final String GROUP = "run-events";

    private final String bootstrap;
    private volatile Admin admin;

    public KafkaHealth(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes().get(4, TimeUnit.SECONDS).size();
            return HealthCheckResponse.named("Kafka cluster").up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("Kafka cluster").down().withData("error", e.getClass().getSimpleName()).build();
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            AdminClientConfig.CLIENT_ID_CONFIG, "gateway-health",
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000));
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        if (admin != null) admin.close();
    }
}
