package io.dln.gateway.common;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** What a database failure was, told from its causes without reading their messages (which may hold user data). */
public final class Persistence {

    private Persistence() {
    }

    public static SQLException sqlCause(Throwable e) {
        for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof SQLException sql) return sql;
        }
        return null;
    }

    /**
     * Whether the database could not be reached (connection refused or lost, no connection from the pool in time),
     * as opposed to a statement it refused.
     */
    public static boolean unavailable(Throwable e) {
        for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof SQLTransientConnectionException) return true;
            if (c.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) return true;
            if (c instanceof SQLException sql) {
                String state = sql.getSQLState();
                // class 08: connection exception; 57P01-57P03: the server is shutting down or cannot connect now
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return true;
                // Agroal's pool: no connection within the acquisition timeout
                if (state == null && sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")) return true;
            }
        }
        return false;
    }

    /** The exception classes of the chain, outermost first: enough to tell failures apart in a log. */
    public static String kind(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
            if (!sb.isEmpty()) sb.append(" <- ");
            sb.append(c.getClass().getSimpleName());
        }
        return sb.toString();
    }
}
