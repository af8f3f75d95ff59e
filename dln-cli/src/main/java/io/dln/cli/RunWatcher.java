package io.dln.cli;

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

/** Follows a run's event stream until the run ends, drawing its progress; reconnects when the stream breaks off early. */
final class RunWatcher {

    private static final Set<String> FINAL = Set.of("finished", "failed", "cancelled");

    private final GatewayClient client;
    private final RunProgress progress;
    private final boolean interactive;

    RunWatcher(GatewayClient client, PrintStream out, boolean interactive) {
        this.client = client;
        this.interactive = interactive;
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
            while (true) {
                client.events("/api/runs/" + id + "/events", this::onEvent);
                Api.Run run = client.get("/api/runs/" + id, Api.Run.class);
                if (run.terminal()) return run;
                sleep(); // the stream ended before the run: the gateway restarted or a proxy cut it; follow again
            }
        } finally {
            if (ticker != null) ticker.shutdownNow();
            progress.finish();
        }
    }

    private boolean onEvent(GatewayClient.ServerSentEvent event) {
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
