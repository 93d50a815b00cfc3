package dev.clones.worker.service;

/** A job that can never succeed as it is (malformed, unknown type, inconsistent): not retried. */
public class InvalidJobException extends RuntimeException {

    public InvalidJobException(String message) {
        super(message, null, false, false);
    }
}
