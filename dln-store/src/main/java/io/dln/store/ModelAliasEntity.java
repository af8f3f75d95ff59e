package io.dln.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;

@Entity
@Table(name = "model_aliases")
public class ModelAliasEntity extends PanacheEntityBase {

    @EmbeddedId
    public Key key;
    public int version;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Embeddable
    public record Key(String tenant, String name, String alias) implements Serializable {
    }
}
