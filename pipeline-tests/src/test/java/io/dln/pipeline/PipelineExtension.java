package io.dln.pipeline;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Map;

/** Starts the pipeline once for all test classes that ask for it, and stops it after the last one. */
final class PipelineExtension implements ParameterResolver {

    /** Small but real latency, so a run lasts long enough to be interrupted. */
    static final Map<String, String> LATENCY = Map.of("simulator.latency.ttft", "4ms", "simulator.latency.per-token", "0ms");

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Pipeline.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Pipeline.class, k -> new Holder(new Pipeline(LATENCY)), Holder.class).pipeline;
    }

    private record Holder(Pipeline pipeline) implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
        }
    }
}
