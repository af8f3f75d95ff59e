package io.dln.store;

import io.dln.core.model.Candidate;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "run_iterations")
public class RunIterationEntity extends PanacheEntityBase {

    @EmbeddedId
    public Key key;
    public String p1;
    public String p2;
    @Column(name = "dev_accuracy")
    public Double devAccuracy;
    public Double elbo;
    public Double elbo1;
    public Double elbo2;
    @Column(name = "batch_accuracy")
    public Double batchAccuracy;
    @JdbcTypeCode(SqlTypes.JSON)
    public Candidates candidates;
    @Column(name = "tokens_used")
    public long tokensUsed;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static List<RunIterationEntity> ofRun(UUID runId) {
        return list("key.runId = ?1 order by key.iteration", runId);
    }

    @Embeddable
    public record Key(@Column(name = "run_id") UUID runId, int iteration) implements Serializable {
    }

    /** The prompts an iteration considered for each layer, with their scores. */
    public record Candidates(List<Candidate> p1, List<Candidate> p2) {
    }
}
