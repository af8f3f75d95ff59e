package io.dln.simulator.faults;

import io.dln.simulator.config.SimulatorConfig;

/** Chances of each fault for one request; they add up to at most 1. */
public record FaultRates(double rate429, double rate500, double rate503, double hang, double slow, double truncated) {

    public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0, 0);

    public FaultRates {
        double[] all = {rate429, rate500, rate503, hang, slow, truncated};
        double sum = 0;
        for (double r : all) {
            if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException("a fault rate must be between 0 and 1, got " + r);
            sum += r;
        }
        if (sum > 1 + 1e-9) throw new IllegalArgumentException("fault rates add up to " + sum + ", more than 1");
    }

    public static FaultRates of(SimulatorConfig.Faults f) {
        return new FaultRates(f.rate429(), f.rate500(), f.rate503(), f.rateHang(), f.rateSlow(), f.rateTruncated());
    }

    /**
     * Reads "rate-429=0.1,rate-500=0.05,..." (the X-Simulator-Faults header); rates it does not name
     * keep their value in {@code base}.
     */
    public static FaultRates parse(String spec, FaultRates base) {
        double[] r = {base.rate429, base.rate500, base.rate503, base.hang, base.slow, base.truncated};
        for (String part : spec.split(",")) {
            if (part.isBlank()) continue;
            String[] kv = part.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("expected name=rate, got '" + part.strip() + "'");
            int i = switch (kv[0].strip()) {
                case "rate-429" -> 0;
                case "rate-500" -> 1;
                case "rate-503" -> 2;
                case "rate-hang" -> 3;
                case "rate-slow" -> 4;
                case "rate-truncated" -> 5;
                default -> throw new IllegalArgumentException("unknown fault rate '" + kv[0].strip() + "'");
            };
            try {
                r[i] = Double.parseDouble(kv[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + kv[1].strip() + "' is not a number");
            }
        }
        return new FaultRates(r[0], r[1], r[2], r[3], r[4], r[5]);
    }

    public boolean any() {
        return rate429 + rate500 + rate503 + hang + slow + truncated > 0;
    }

    /** The fault a uniform draw in [0, 1) falls on. */
    public Fault pick(double u) {
        double[] r = {rate429, rate500, rate503, hang, slow, truncated};
        Fault[] f = {Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.UNAVAILABLE, Fault.HANG, Fault.SLOW, Fault.TRUNCATED};
        double edge = 0;
        for (int i = 0; i < r.length; i++) {
            edge += r[i];
            if (u < edge) return f[i];
        }
        return Fault.NONE;
    }
}
