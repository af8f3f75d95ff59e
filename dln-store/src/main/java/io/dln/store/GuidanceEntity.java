package io.dln.store;

import io.dln.core.model.GuidanceAction;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** One guidance action recorded for a run; {@code appliedAtIteration} is null until the trainer has applied it. */
@Entity
@Table(name = "run_guidance")
public class GuidanceEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "run_id")
    public UUID runId;
    /** Order of recording, given by the database. */
    @Column(insertable = false, updatable = false)
    public Long seq;
    /** pin, edit, reject or feedback. */
    public String action;
    public int layer;
    public String prompt;
    public String text;
    public String author;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "applied_at_iteration")
    public Integer appliedAtIteration;

    public static List<GuidanceEntity> ofRun(UUID runId) {
        return list("runId = ?1 order by seq", runId);
    }

    public static List<GuidanceEntity> pending(UUID runId) {
        return list("runId = ?1 and appliedAtIteration is null order by seq", runId);
    }

    public static List<GuidanceEntity> appliedAt(UUID runId, int iteration) {
        return list("runId = ?1 and appliedAtIteration = ?2 order by seq", runId, iteration);
    }

    public GuidanceAction toAction() {
        GuidanceAction.Kind kind = GuidanceAction.Kind.valueOf(action.toUpperCase(Locale.ROOT));
        return new GuidanceAction(kind, layer, kind == GuidanceAction.Kind.FEEDBACK ? text : prompt);
    }
}
