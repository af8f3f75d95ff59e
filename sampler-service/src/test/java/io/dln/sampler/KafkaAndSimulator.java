package io.dln.sampler;

import io.dln.messages.Topics;
import io.dln.testkit.FreePorts;
import io.dln.worker.testing.KafkaAndSimulatorResource;

import java.util.Map;

/**
 * The broker and a simulator for the sampler's tests, a backend nobody answers, for the error path, the simulator once
 * more as a chat backend ({@code chat}), whose calls go through the LangChain4j extension's model, and a chat backend
 * nobody answers ({@code chatdown}).
 */
public class KafkaAndSimulator extends KafkaAndSimulatorResource {

    public KafkaAndSimulator() {
        super("sampler", Topics.GENERATE_REQUESTS);
    }

    @Override
    protected Map<String, String> moreConfig() {
        return Map.ofEntries(
                Map.entry("dln.backends.down.base-url", "http://127.0.0.1:" + FreePorts.next()),
                Map.entry("dln.backends.down.model", "none"),
                Map.entry("dln.backends.down.max-retries", "1"),
                Map.entry("dln.backends.down.probe-at-start", "false"),
                Map.entry("dln.backends.chat.base-url", simulatorUrl),
                Map.entry("dln.backends.chat.model", "dln-simulator"),
                Map.entry("dln.backends.chat.generation-api", "chat"),
                Map.entry("dln.backends.chatdown.base-url", "http://127.0.0.1:" + FreePorts.next()),
                Map.entry("dln.backends.chatdown.model", "none"),
                Map.entry("dln.backends.chatdown.generation-api", "chat"),
                Map.entry("dln.backends.chatdown.max-retries", "1"),
                Map.entry("dln.backends.chatdown.probe-at-start", "false"));
    }
}
