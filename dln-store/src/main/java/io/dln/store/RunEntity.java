package io.dln.store;

import io.dln.core.model.DlnSettings;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "runs")
public class RunEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String tenant;
    @Column(name = "dataset_id")
    public UUID datasetId;
    @Column(name = "model_name")
    public String modelName;
    @Enumerated(EnumType.STRING)
    public RunStatus status;
    @JdbcTypeCode(SqlTypes.JSON)
    public DlnSettings settings;
    @Column(name = "forward_backend")
    public String forwardBackend;
    @Column(name = "backward_backend")
    public String backwardBackend;
    @Column(name = "scoring_backend")
    public String scoringBackend;
    public long seed;
    @Column(name = "token_budget")
    public Long tokenBudget;
    /** What the run's calls need, cached answers included: what budgets count. */
    @Column(name = "tokens_used")
    public long tokensUsed;
    /** What was sent to backends (less than tokensUsed by what the scorer's cache saved); null for runs stored before. */
    @Column(name = "tokens_sent")
    public Long tokensSent;
    public int iteration;
    public int iterations;
    @Column(name = "dev_accuracy")
    public Double devAccuracy;
    @Column(name = "best_dev_accuracy")
    public Double bestDevAccuracy;
    @Column(name = "test_accuracy")
    public Double testAccuracy;
    @Column(name = "best_p1")
    public String bestP1;
    @Column(name = "best_p2")
    public String bestP2;
    public String error;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    /** Pauses after every iteration, for a person to look and guide. */
    public boolean guided;
    /** Pause after the iteration under way. */
    @Column(name = "pause_requested")
    public boolean pauseRequested;
    /** Guidance has been recorded that the trainer has not applied yet. */
    @Column(name = "guidance_pending")
    public boolean guidancePending;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
    public int attempts;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
