package io.dln.trainer.health;

/**
 * A condition that turns bad at once and good again only after it has been calm for a while, so a value that hovers
 * around a threshold does not make readiness flap. "Calm" may be stricter than "not in trouble" (a lower threshold).
 */
final class Hysteresis {

    private final long calmNanos;
    private boolean bad;
    private long calmSince = -1;

    Hysteresis(long calmNanos) {
        this.calmNanos = calmNanos;
    }

    /** Whether the condition is bad after this observation at {@code nowNanos}. */
    synchronized boolean observe(boolean trouble, boolean calm, long nowNanos) {
        if (!bad) {
            if (trouble) {
                bad = true;
                calmSince = -1;
            }
        } else if (calm) {
            if (calmSince < 0) calmSince = nowNanos;
            if (nowNanos - calmSince >= calmNanos) {
                bad = false;
                calmSince = -1;
            }
        } else {
            calmSince = -1;
        }
        return bad;
    }

    synchronized boolean bad() {
        return bad;
    }
}
