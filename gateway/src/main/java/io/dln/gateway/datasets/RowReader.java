package io.dln.gateway.datasets;

import java.io.IOException;
import java.io.Reader;

/** Reads an upload's rows one by one, reporting what it cannot read and going on where it can. */
interface RowReader {

    void read(Reader in, RowSink sink) throws IOException;
}
