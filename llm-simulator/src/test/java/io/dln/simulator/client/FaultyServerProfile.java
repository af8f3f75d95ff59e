package io.dln.simulator.client;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A simulator that answers about half the calls with 429 (Retry-After 1 s) or 500, and lets a few hang. */
public class FaultyServerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("simulator.faults.rate-429", "0.3", "simulator.faults.rate-500", "0.2", "simulator.faults.rate-hang", "0.1",
                "simulator.faults.retry-after", "1", "simulator.faults.hang-delay", "5s");
    }
}
