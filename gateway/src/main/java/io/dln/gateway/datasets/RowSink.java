package io.dln.gateway.datasets;

/** Where a reader puts the rows it reads and the problems it finds. */
interface RowSink {

    void row(UploadRow row);

    /** {@code line} may be null for a problem of the whole upload. */
    void problem(Integer line, String field, String message);
}
