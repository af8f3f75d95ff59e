package io.dln.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "dataset_examples")
public class ExampleEntity extends PanacheEntityBase {

    @EmbeddedId
    public Key key;
    public String input;
    public String target;

    public static ExampleEntity of(UUID datasetId, String split, int position, String input, String target) {
        ExampleEntity e = new ExampleEntity();
        e.key = new Key(datasetId, split, position);
        e.input = input;
        e.target = target;
        return e;
    }

    public static List<ExampleEntity> ofSplit(UUID datasetId, String split) {
        return list("key.datasetId = ?1 and key.split = ?2 order by key.position", datasetId, split);
    }

    @Embeddable
    public record Key(@Column(name = "dataset_id") UUID datasetId, String split, int position) implements Serializable {
    }
}
