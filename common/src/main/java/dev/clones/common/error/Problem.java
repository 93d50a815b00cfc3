package dev.clones.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, the body of every 4xx and 5xx. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
