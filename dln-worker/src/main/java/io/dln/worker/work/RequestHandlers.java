package io.dln.worker.work;

import io.dln.backends.registry.BackendRegistry;
import io.dln.messages.Operation;
import io.dln.worker.config.WorkerIdentity;
import io.dln.worker.intake.Triage;
import io.dln.worker.metrics.WorkerMetrics;
import io.dln.worker.results.ResultPartitions;
import io.dln.worker.results.ResultPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Set;

/** Makes the {@link RequestHandler} of a worker service from the beans every worker shares. */
@ApplicationScoped
public class RequestHandlers {

    private final BackendRegistry backends;
    private final ResultPublisher results;
    private final ResultPartitions partitions;
    private final WorkerMetrics metrics;
    private final Admission admission;
    private final WorkerIdentity identity;
    private final String service;

    @Inject
    public RequestHandlers(BackendRegistry backends, ResultPublisher results, ResultPartitions partitions, WorkerMetrics metrics,
                           Admission admission, WorkerIdentity identity,
                           @ConfigProperty(name = "quarkus.application.name") String service) {
        this.backends = backends;
        this.results = results;
        this.partitions = partitions;
        this.metrics = metrics;
        this.admission = admission;
        this.identity = identity;
        this.service = service;
    }

    /**
     * A handler serving the {@code served} operations with {@code answerer} and dead-lettering the rest; it logs
     * under the name of the {@code worker} class.
     */
    public RequestHandler handler(Class<?> worker, Set<Operation> served, Answerer answerer) {
        return new RequestHandler(Logger.getLogger(worker), new Triage(service, served, backends, partitions::countFor), answerer, results,
                metrics, admission, identity.id());
    }
}
