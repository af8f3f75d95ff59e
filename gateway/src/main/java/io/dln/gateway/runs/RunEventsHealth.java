package io.dln.gateway.runs;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Up once the run events topic is being read, so progress streams get what the trainers publish. In the group
 * {@value KafkaHealth#GROUP}, not in readiness: inference, the registry and the data sets do not need Kafka.
 */
@HealthGroup(KafkaHealth.GROUP)
@ApplicationScoped
public class RunEventsHealth implements HealthCheck {

    private final RunEventFeed feed;
    private final RunStreams streams;

    public RunEventsHealth(RunEventFeed feed, RunStreams streams) {
        this.feed = feed;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("run events feed").status(feed.positioned())
                .withData("open streams", streams.count()).build();
    }
}
