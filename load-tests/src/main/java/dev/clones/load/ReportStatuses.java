package dev.clones.load;

import java.util.Set;

/**
 * A report's {@code status} as {@code GET /api/reports/{id}} answers it (docs/api.md). The load generator is a
 * client of the public API only, so it names the wire values here instead of depending on the services'
 * {@code contracts} module: scripts/load.sh builds this module alone.
 */
public final class ReportStatuses {

    /** The report is made and can be downloaded. */
    public static final String DONE = "done";
    /** Still on its way: a poll may see it change. */
    public static final Set<String> UNFINISHED = Set.of("queued", "running");

    private ReportStatuses() {
    }
}
