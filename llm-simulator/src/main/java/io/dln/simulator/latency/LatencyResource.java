package io.dln.simulator.latency;

import io.dln.simulator.api.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;

/**
 * {@code GET/PUT /simulator/latency/ttft}: the time to first token of every request ({@code simulator.latency.ttft}), in
 * whole milliseconds, changed while the simulator runs: a benchmark warms its services up with many fast calls, then
 * measures them against a slow server without restarting it (a restart would leave the simulator itself cold).
 */
@Path("/simulator/latency/ttft")
@Produces(MediaType.TEXT_PLAIN)
public class LatencyResource {

    private final Pacer pacer;

    public LatencyResource(Pacer pacer) {
        this.pacer = pacer;
    }

    @GET
    public String get() {
        return Long.toString(pacer.ttft().toMillis());
    }

    @PUT
    @Consumes(MediaType.TEXT_PLAIN)
    public String put(String millis) {
        try {
            pacer.setTtft(Duration.ofMillis(Long.parseLong(millis == null ? "" : millis.strip())));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Bad time to first token '" + millis + "': a whole number of milliseconds.", null);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("Bad time to first token: " + e.getMessage() + ".", null);
        }
        return get();
    }
}
