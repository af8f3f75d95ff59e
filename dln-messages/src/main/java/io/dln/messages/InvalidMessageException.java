package io.dln.messages;

/** A message that cannot be served as it is: it goes to a dead-letter topic with this message as the reason. */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason);
    }
}
