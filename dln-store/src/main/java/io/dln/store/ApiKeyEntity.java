package io.dln.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An API key of the gateway: who holds it (tenant, role) and the SHA-256 hash of the key, never the key. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String tenant;
    public String name;
    public String role;
    @Column(name = "key_hash")
    public String keyHash;
    /** The first characters of the key, enough to recognise it in a list. */
    @Column(name = "key_prefix")
    public String keyPrefix;
    /** Overrides the gateway's default request rate for this key when set. */
    @Column(name = "requests_per_second")
    public Double requestsPerSecond;
    public Integer burst;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    public boolean active() {
        return revokedAt == null;
    }
}
