package io.dln.gateway.runs;

import io.dln.gateway.common.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The open SSE streams of this instance, kept alive by a periodic comment that also finds clients that left. */
@ApplicationScoped
public class RunStreams {

    private final Set<RunStream> open = ConcurrentHashMap.newKeySet();
    private final long heartbeatMillis;
    private ScheduledExecutorService timer;

    public RunStreams(GatewayConfig config) {
        this.heartbeatMillis = config.events().heartbeat().toMillis();
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sse-heartbeat").factory());
        timer.scheduleAtFixedRate(this::beat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) timer.shutdownNow();
        open.forEach(RunStream::close);
    }

    void add(RunStream stream) {
        open.add(stream);
    }

    public int count() {
        open.removeIf(RunStream::closed);
        return open.size();
    }

    private void beat() {
        open.removeIf(RunStream::closed);
        open.forEach(RunStream::heartbeat);
    }
}
