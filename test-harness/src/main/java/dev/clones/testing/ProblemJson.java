package dev.clones.testing;

import io.restassured.response.ValidatableResponse;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** What every service promises of an error answer: an RFC 9457 problem+json body that says what went wrong. */
public final class ProblemJson {

    private ProblemJson() {
    }

    /**
     * Asserts that the response has this status and a problem+json body with the same status, a title and a detail;
     * answers the response so that a test can assert more of it.
     */
    public static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue());
    }
}
