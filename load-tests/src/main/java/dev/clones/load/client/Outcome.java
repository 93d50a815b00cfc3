package dev.clones.load.client;

/**
 * The last answer to a request after the client's retries: {@code status} 0 means none came (connection
 * refused or cut, timeout). {@code body} is the text of the answer, {@code bytes} its bytes when the call
 * asked for them, {@code servedBy} the replica that answered (X-Served-By), when one did.
 */
public record Outcome(int status, String body, byte[] bytes, String etag, String servedBy, boolean expected) {

    /**
     * No answer or a 5xx: the server may have done the work or not. For a request that was not retried
     * (a POST without an Idempotency-Key) the client cannot tell, and must find out by reading.
     */
    public boolean inDoubt() {
        return RetryPolicy.transientFailure(status);
    }
}
