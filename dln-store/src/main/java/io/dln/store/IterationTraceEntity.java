package io.dln.store;

import io.dln.core.train.StepTrace;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** What the step of one iteration saw; kept apart from the iteration row so that listing a run's history stays light. */
@Entity
@Table(name = "run_iteration_traces")
public class IterationTraceEntity extends PanacheEntityBase {

    @EmbeddedId
    public RunIterationEntity.Key key;
    @JdbcTypeCode(SqlTypes.JSON)
    public StepTrace trace;

    /** The iterations of a run that have a trace, without reading the traces. */
    public static Set<Integer> iterationsOf(UUID runId) {
        return new TreeSet<>(find("select key.iteration from IterationTraceEntity where key.runId = ?1", runId)
                .project(Integer.class).list());
    }
}
