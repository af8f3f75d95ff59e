package io.dln.gateway.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes of a streamed body and stops it with 413 as soon as it passes the limit. */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String what;
    private long count;

    /** @param what the body, as the error message names it ("the upload") */
    public LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) counted(1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) counted(n);
        return n;
    }

    private void counted(int n) {
        count += n;
        if (count > limit) throw tooLarge();
    }

    /** Whether the body has passed the limit: a reader may have wrapped the error {@link #read} threw in its own. */
    public boolean exceeded() {
        return count > limit;
    }

    public ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", what + " exceeds the limit of " + limit + " bytes");
    }
}
