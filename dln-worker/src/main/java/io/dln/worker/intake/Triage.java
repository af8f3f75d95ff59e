package io.dln.worker.intake;

import io.dln.backends.registry.BackendRegistry;
import io.dln.backends.registry.UnknownBackendException;
import io.dln.messages.InvalidMessageException;
import io.dln.messages.LlmRequest;
import io.dln.messages.MessageCodec;
import io.dln.messages.Operation;
import io.dln.messages.Topics;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntFunction;

/** Decides, from the record alone, whether a request is served, dropped as expired, or dead-lettered. */
public final class Triage {

    private final String service;
    private final Set<Operation> served;
    private final BackendRegistry backends;
    private final IntFunction<OptionalInt> resultPartitions;

    /** @param resultPartitions the results topic's partition count as known when a request names partition n, or empty */
    public Triage(String service, Set<Operation> served, BackendRegistry backends, IntFunction<OptionalInt> resultPartitions) {
        this.service = service;
        this.served = Set.copyOf(served);
        this.backends = backends;
        this.resultPartitions = resultPartitions;
    }

    public Verdict of(byte[] json, long nowEpochMillis) {
        LlmRequest request;
        try {
            request = MessageCodec.fromBytes(json, LlmRequest.class);
        } catch (InvalidMessageException e) {
            return new Verdict.DeadLetter("unparseable", e.getMessage());
        }
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            return new Verdict.DeadLetter("invalid", "invalid request " + request.requestId() + ": " + String.join("; ", problems));
        }
        if (!served.contains(request.operation())) {
            return new Verdict.DeadLetter("wrong_operation", "request " + request.requestId() + ": " + service
                    + " does not serve " + request.operation() + "; publish it to " + request.operation().topic());
        }
        if (!backends.contains(request.backend())) {
            return new Verdict.DeadLetter("unknown_backend", "request " + request.requestId() + ": "
                    + new UnknownBackendException(request.backend(), backends.names()).getMessage());
        }
        OptionalInt partitions = resultPartitions.apply(request.replyPartition());
        if (partitions.isPresent() && request.replyPartition() >= partitions.getAsInt()) {
            return new Verdict.DeadLetter("invalid", "invalid request " + request.requestId() + ": replyPartition "
                    + request.replyPartition() + " does not exist; " + Topics.RESULTS + " has partitions 0.."
                    + (partitions.getAsInt() - 1));
        }
        if (request.expired(nowEpochMillis)) return new Verdict.Expired(request);
        return new Verdict.Serve(request);
    }
}
