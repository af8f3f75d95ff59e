package io.dln.gateway.datasets;

import io.dln.gateway.common.ApiException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes of a streamed upload and stops it with 413 as soon as it passes the limit. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
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
        if (count > limit) {
            throw new ApiException(413, "payload_too_large", "the upload exceeds the limit of " + limit + " bytes");
        }
    }
}
