package io.dln.gateway.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key as presented, for {@link ApiKeyIdentityProvider} to check. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
