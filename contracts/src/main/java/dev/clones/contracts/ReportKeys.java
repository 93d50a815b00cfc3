package dev.clones.contracts;

/**
 * The Redis records of reports, written by both sides: media-service creates a record and its user's index entry
 * when a report is requested; report-worker moves the record through {@link ReportStatus}, and its maintenance
 * sweep fails stale records and prunes the indexes.
 */
public final class ReportKeys {

    /** Prefix of {@code report:{reportId}}, the hash of one report (status, format, object key, …). */
    public static final String RECORD_PREFIX = "report:";
    /** Prefix of {@code user-reports:{userId}}, the sorted set of a user's report ids by creation time. */
    public static final String USER_INDEX_PREFIX = "user-reports:";

    private ReportKeys() {
    }

    public static String record(String reportId) {
        return RECORD_PREFIX + reportId;
    }

    public static String userIndex(String userId) {
        return USER_INDEX_PREFIX + userId;
    }
}
