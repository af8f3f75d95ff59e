package io.dln.testkit;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans the service under test finishes, kept in memory (quarkus.otel.traces.exporter=cdi picks this bean up). A
 * service's tests get it by indexing this module ({@code %test.quarkus.index-dependency.testkit.*}), so that only the
 * services whose tests read spans keep them.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
