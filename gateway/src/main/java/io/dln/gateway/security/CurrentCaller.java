package io.dln.gateway.security;

import io.dln.gateway.common.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller of the current request, as its authentication put it into the {@code SecurityIdentity}. */
@ApplicationScoped
public class CurrentCaller {

    private final SecurityIdentity identity;

    public CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller get() {
        Caller caller = identity.getAttribute(Caller.ATTRIBUTE);
        if (caller == null) throw new ApiException(401, "unauthenticated", "an API key or token is required");
        return caller;
    }

    public String tenant() {
        return get().tenant();
    }
}
