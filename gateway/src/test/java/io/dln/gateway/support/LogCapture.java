package io.dln.gateway.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log record of the test JVM from the moment it is installed (before Quarkus starts), formatted with its
 * parameters and stack trace. The test resource and the tests see this class through different class loaders, so the
 * tests find the handler on the root logger by its class name and read it through {@link #toString()}.
 */
public final class LogCapture extends Handler {

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private LogCapture() {
    }

    public static synchronized void install() {
        if (installed() == null) Logger.getLogger("").addHandler(new LogCapture());
    }

    /** Everything logged since {@link #install()}. */
    public static String text() {
        Handler handler = installed();
        if (handler == null) throw new IllegalStateException("LogCapture is not installed on the root logger");
        return handler.toString();
    }

    private static Handler installed() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (h.getClass().getName().equals(LogCapture.class.getName())) return h;
        }
        return null;
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder sb = new StringBuilder(record.getLoggerName()).append(' ').append(format(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append('\n').append(trace);
        }
        lines.add(sb.toString());
    }

    private static String format(LogRecord record) {
        if (record instanceof org.jboss.logmanager.ExtLogRecord ext) return ext.getFormattedMessage();
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (message == null || params == null || params.length == 0) return String.valueOf(message);
        try {
            return message.contains("%") ? String.format(message, params) : java.text.MessageFormat.format(message, params);
        } catch (RuntimeException e) {
            return message + " " + java.util.Arrays.toString(params);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
