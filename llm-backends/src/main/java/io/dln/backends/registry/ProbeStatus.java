package io.dln.backends.registry;

import io.dln.core.lm.Capabilities;

import java.time.Instant;

/** What is known about a backend's reachability and capabilities. {@code capabilities} is null until a probe succeeded. */
public record ProbeStatus(State state, Capabilities capabilities, String error, Instant at) {

    public enum State { NOT_PROBED, PROBING, OK, FAILED }

    static ProbeStatus notProbed() {
        return new ProbeStatus(State.NOT_PROBED, null, null, null);
    }

    ProbeStatus probing() {
        return new ProbeStatus(State.PROBING, capabilities, error, at);
    }

    static ProbeStatus ok(Capabilities capabilities, Instant at) {
        return new ProbeStatus(State.OK, capabilities, null, at);
    }

    static ProbeStatus failed(String error, Instant at) {
        return new ProbeStatus(State.FAILED, null, error, at);
    }
}
