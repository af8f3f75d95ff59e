package io.dln.llm;

/**
 * Whether a backend's recent attempts mostly succeeded: the last {@value #WINDOW} outcomes. A failure while the backend
 * is otherwise healthy is most likely a fault of that one request, worth re-sending at once; while most attempts fail,
 * retries back off so as not to hammer a server in trouble.
 */
final class RecentOutcomes {

    static final int WINDOW = 32;

    private final boolean[] ring = new boolean[WINDOW];
    private int next;
    private int size;
    private int failures;

    synchronized void record(boolean succeeded) {
        if (size == WINDOW) {
            if (!ring[next]) failures--;
        } else {
            size++;
        }
        ring[next] = succeeded;
        if (!succeeded) failures++;
        next = (next + 1) % WINDOW;
    }

    /** At least half the window known, and more than three quarters of it successes. */
    synchronized boolean healthy() {
        return size >= WINDOW / 2 && failures * 4 < size;
    }
}
