package io.dln.cli;

import java.time.Duration;
import io.dln.cli.gateway.GatewayUnreachableException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.Json;

import java.io.PrintStream;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows a run's event stream until the run ends, drawing its progress. When the stream breaks off early (the gateway
 * restarted, a proxy cut it, the network dropped) it reconnects by itself with the id of the last event it got, so
 * the gateway sends what it missed; it gives up when the gateway stays unreachable for {@code GIVE_UP_AFTER}.
 */
final class RunWatcher {

    private static final Set<String> FINAL = Set.of("finished", "failed", "cancelled");
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

    private final GatewayClient client;
    private final RunProgress progress;
    private final boolean interactive;
    private final PrintStream err;
    private String lastEventId;

    RunWatcher(GatewayClient client, PrintStream out, boolean interactive) {
        this.client = client;
        this.interactive = interactive;
        this.err = System.err;
        this.progress = new RunProgress(out, interactive);
    }

    /** @return the run as stored once it has ended */
    Api.Run watch(UUID id) {
        ScheduledExecutorService ticker = null;
        if (interactive) {
            ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("progress").factory());
            ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
        }
        try {
            long unreachableSince = 0;
            while (true) {
                try {
                    client.events("/api/runs/" + id + "/events", lastEventId, this::onEvent);
                    Api.Run run = client.get("/api/runs/" + id, Api.Run.class);
                    if (run.terminal()) return run;
                    unreachableSince = 0;
                } catch (GatewayUnreachableException e) {
                    long now = System.nanoTime();
                    if (unreachableSince == 0) {
                        unreachableSince = now;
                        if (!interactive) err.println("the gateway cannot be reached; reconnecting");
                    } else if (now - unreachableSince > GIVE_UP_AFTER.toNanos()) {
                        throw e;
                    }
                }
                sleep(); // the stream ended before the run: follow again from the last event received
            }
        } finally {
            if (ticker != null) ticker.shutdownNow();
            progress.finish();
        }
    }

    private boolean onEvent(GatewayClient.ServerSentEvent event) {
        if (event.id() != null) lastEventId = event.id();
        try {
            if (event.name().equals("state")) {
                Api.Run run = Json.MAPPER.readValue(event.data(), Api.Run.class);
                progress.state(run);
                return !run.terminal();
            }
            Api.RunEvent e = Json.MAPPER.readValue(event.data(), Api.RunEvent.class);
            if (e.type() != null) progress.event(e);
            return !FINAL.contains(event.name());
        } catch (JsonProcessingException e) {
            return true; // an event this CLI does not understand: skip it
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
