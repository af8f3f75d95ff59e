package io.dln.store;

import io.dln.core.train.TrainingState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "run_checkpoints")
public class CheckpointEntity extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public UUID runId;
    public int iteration;
    @JdbcTypeCode(SqlTypes.JSON)
    public TrainingState state;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
