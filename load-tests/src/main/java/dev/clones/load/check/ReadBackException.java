package dev.clones.load.check;

/** The API did not answer a read-back call usably even after retries: the user's state cannot be verified. */
public class ReadBackException extends Exception {
    public ReadBackException(String message) {
        super(message);
    }

    public ReadBackException(String message, Throwable cause) {
        super(message, cause);
    }
}
