package io.dln.simulator.faults;

import io.dln.simulator.api.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET/PUT /simulator/faults}: the fault rates every request gets, changed while the simulator runs, so that one
 * benchmark can train fault-free and then faulty against the same server. PUT takes the syntax of the
 * X-Simulator-Faults header ({@code rate-hang=0.02,rate-500=0.1,rate-429=0.05}); rates it does not name become 0.
 * {@code GET/PUT /simulator/faults/retry-after}: the seconds of the refusals' Retry-After ({@code simulator.faults.retry-after};
 * negative: no header), so that one benchmark can compare a server that prescribes a wait with one that does not.
 */
@Path("/simulator/faults")
@Produces(MediaType.APPLICATION_JSON)
public class FaultsResource {

    private final FaultInjector injector;

    public FaultsResource(FaultInjector injector) {
        this.injector = injector;
    }

    @GET
    public FaultRates get() {
        return injector.rates();
    }

    @PUT
    @Consumes(MediaType.TEXT_PLAIN)
    public FaultRates put(String spec) {
        try {
            injector.setRates(FaultRates.parse(spec == null ? "" : spec, FaultRates.NONE));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("Bad fault rates: " + e.getMessage() + ".", null);
        }
        return injector.rates();
    }

    @GET
    @Path("retry-after")
    @Produces(MediaType.TEXT_PLAIN)
    public String retryAfter() {
        return Integer.toString(injector.retryAfterSeconds());
    }

    @PUT
    @Path("retry-after")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.TEXT_PLAIN)
    public String putRetryAfter(String seconds) {
        try {
            injector.setRetryAfterSeconds(Integer.parseInt(seconds == null ? "" : seconds.strip()));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Bad Retry-After seconds '" + seconds + "': a whole number, negative for no header.", null);
        }
        return retryAfter();
    }
}
