package io.dln.gateway.security;

/** The answer to a key's creation: the only time the key itself is shown. */
public record CreatedKey(String key, KeyView details) {
}
