package io.dln.scorer;

import io.dln.messages.Topics;
import io.dln.worker.testing.KafkaAndSimulatorResource;

/** The broker and a simulator of its own for the scorer's tests. */
public class KafkaAndSimulator extends KafkaAndSimulatorResource {

    public KafkaAndSimulator() {
        super("scorer", Topics.SCORE_REQUESTS);
    }
}
