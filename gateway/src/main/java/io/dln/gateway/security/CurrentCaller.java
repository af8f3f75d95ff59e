package io.dln.gateway.security;

import io.dln.gateway.common.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link SecurityFilters} once its key is checked. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) throw new ApiException(401, "unauthenticated", "an API key is required");
        return caller;
    }

    public String tenant() {
        return get().tenant();
    }
}
