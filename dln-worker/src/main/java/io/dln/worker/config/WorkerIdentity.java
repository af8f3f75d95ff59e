package io.dln.worker.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The worker id results carry: {@code dln.worker.id}, else host name and pid. */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    @Inject
    public WorkerIdentity(WorkerConfig config) {
        this.id = config.id().filter(s -> !s.isBlank()).orElseGet(() -> hostName() + "-" + ProcessHandle.current().pid());
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
