package io.dln.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "datasets")
public class DatasetEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String tenant;
    public String name;
    public String instruction;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "output_classes")
    public List<String> outputClasses;
    public String loss;
    @Column(name = "train_count")
    public int trainCount;
    @Column(name = "dev_count")
    public int devCount;
    @Column(name = "test_count")
    public int testCount;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
