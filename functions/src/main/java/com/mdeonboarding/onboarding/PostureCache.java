package com.mdeonboarding.onboarding;

import com.mdeonboarding.azure.SecurityApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscription posture, cached per subscription for a short time (MDE_POSTURE_CACHE_SECONDS): a burst
 * of new machines in one subscription reads plan and settings once, not once per machine.
 */
public final class PostureCache {
    private final SecurityApi security;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public PostureCache(SecurityApi security, Duration ttl, Clock clock) {
        this.security = security;
        this.ttl = ttl;
        this.clock = clock;
    }

    public SecurityApi.PostureReading get(String subscriptionId) {
        Instant now = clock.instant();
        Entry e = entries.get(subscriptionId);
        if (e != null && e.expires.isAfter(now)) {
            return e.reading;
        }
        SecurityApi.PostureReading fresh = security.posture(subscriptionId);
        entries.put(subscriptionId, new Entry(fresh, now.plus(ttl)));
        return fresh;
    }

    /** After we change a setting ourselves. */
    public void invalidate(String subscriptionId) {
        entries.remove(subscriptionId);
    }

    private record Entry(SecurityApi.PostureReading reading, Instant expires) {
    }
}
