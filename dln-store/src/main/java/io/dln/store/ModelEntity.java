package io.dln.store;

import io.dln.core.model.DlnSettings;
import io.dln.core.template.Template;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A trained DLN version: its prompts and everything needed to run it exactly as it was trained. */
@Entity
@Table(name = "models")
public class ModelEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String tenant;
    public String name;
    public int version;
    public int layers;
    public String p1;
    public String p2;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "output_classes")
    public List<String> outputClasses;
    public String loss;
    @JdbcTypeCode(SqlTypes.JSON)
    public DlnSettings settings;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Template> templates;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metrics;
    @Column(name = "forward_backend")
    public String forwardBackend;
    @Column(name = "source_run_id")
    public UUID sourceRunId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static int nextVersion(String tenant, String name) {
        Integer latest = latestVersion(tenant, name);
        return latest == null ? 1 : latest + 1;
    }

    /** The highest version of the model, or null when it has none. */
    public static Integer latestVersion(String tenant, String name) {
        return find("select max(version) from ModelEntity where tenant = ?1 and name = ?2", tenant, name)
                .project(Integer.class).singleResult();
    }
}
