package com.mdeonboarding.azure;

import com.mdeonboarding.model.Text;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every pager's brake (issue #23 item 6). A list is followed page by page through what the service sends for the next
 * one (Resource Manager's {@code nextLink}, Resource Graph's {@code $skipToken}, the Defender for Endpoint API's
 * {@code @odata.nextLink}); a service that sends one it sent before would be followed for ever (a repeating
 * {@code nextLink} made {@code doctor} call Subscriptions_List 1,329 times in 40 s), and one that sends new ones without
 * end would be too. So each list gets one guard: a continuation seen before ends the listing, and so does a page past
 * the list's cap, each with an error that names the API, what happened and what to do.
 *
 * <p>Caps are far above what a real tenant needs: Resource Manager lists, 1,000 pages; Resource Graph, 5,000 pages of
 * 1,000 rows per query (5 million rows); the Defender API, 1,000 pages of 10,000 devices.
 */
final class PageGuard {
    static final int ARM_LIST_PAGES = 1_000;
    static final int RESOURCE_GRAPH_PAGES = 5_000;
    static final int DEFENDER_PAGES = 1_000;

    private final String api;
    private final int maxPages;
    private final BiFunction<String, String, RuntimeException> error;
    private final Set<String> seen = new HashSet<>();
    private int pages = 1;

    private PageGuard(String api, int maxPages, BiFunction<String, String, RuntimeException> error) {
        this.api = api;
        this.maxPages = maxPages;
        this.error = error;
    }

    /** A Resource Manager list ({@code api}: its operation, e.g. {@code Subscriptions_List}); failures are {@link ArmException}s. */
    static PageGuard arm(String api, int maxPages) {
        return new PageGuard(api, maxPages, (code, message) -> new ArmException(0, code, message));
    }

    /** The Defender for Endpoint API's machine list; failures are {@link DefenderApiException}s (not worth a retry). */
    static PageGuard defender(String api) {
        return new PageGuard(api, DEFENDER_PAGES, (code, message) -> new DefenderApiException(200, code, message));
    }

    /**
     * Before following {@code continuation} to the next page: refuses one this list sent before, or a page beyond the cap.
     *
     * @param continuation the next link or token, as the service sent it
     */
    void next(String continuation) {
        if (!seen.add(continuation)) {
            throw error.apply("PagingCycle", api + ": page " + pages + " names a next page already read ('"
                    + Text.printable(continuation, 200) + "'); the listing stopped there instead of reading the same pages for ever."
                    + " The service's paging is broken: try again later, and report it to Microsoft if it persists.");
        }
        if (++pages > maxPages) {
            throw error.apply("TooManyPages", api + ": more than " + maxPages + " pages; the listing stopped there (no real"
                    + " list is that long: the service keeps sending new next links). Try again later, and report it to Microsoft if"
                    + " it persists.");
        }
    }

    int pages() {
        return pages;
    }
}
