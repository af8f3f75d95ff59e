package io.dln.sampler;

import io.dln.messages.Topics;
import io.dln.testkit.FreePorts;
import io.dln.worker.testing.KafkaAndSimulatorResource;

import java.util.Map;

/**
 * The broker and a simulator for the sampler's tests, a backend nobody answers, for the error path, and the simulator
 * once more as a chat backend ({@code chat}), whose calls go through the LangChain4j extension's model.
 */
public class KafkaAndSimulator extends KafkaAndSimulatorResource {

    public KafkaAndSimulator() {
        super("sampler", Topics.GENERATE_REQUESTS);
    }

    @Override
    protected Map<String, String> moreConfig() {
        return Map.of(
                "dln.backends.down.base-url", "http://127.0.0.1:" + FreePorts.next(),
                "dln.backends.down.model", "none",
                "dln.backends.down.max-retries", "1",
                "dln.backends.down.probe-at-start", "false",
                "dln.backends.chat.base-url", simulatorUrl,
                "dln.backends.chat.model", "dln-simulator",
                "dln.backends.chat.generation-api", "chat");
    }
}
