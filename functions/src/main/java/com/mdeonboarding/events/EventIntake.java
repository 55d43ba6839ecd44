package com.mdeonboarding.events;

import com.mdeonboarding.config.Scope;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.OnboardingJob;
import java.util.ArrayList;
import com.mdeonboarding.model.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns one Event Grid delivery into onboarding jobs: one per machine written, in scope. Logs everything it drops. */
public final class EventIntake {
    private final Scope scope;

    public EventIntake(Scope scope) {
        this.scope = scope;
    }

    public record Result(List<OnboardingJob> jobs, int ignored, int malformed, int outOfScope) {
        public List<String> messages() {
            return jobs.stream().map(JobCodec::encode).toList();
        }
    }

    /** Samples of each kind of dropped event a summary line shows. */
    static final int SAMPLES = 3;
    /** Distinct reasons a summary line counts (the rest are counted together). */
    static final int REASONS = 5;

    /**
     * One line per kind of dropped event (malformed, ignored, out of scope) per delivery, with the count, the reasons
     * counted and a few samples: a delivery's log is bounded by the delivery, not by what it holds (1 MB of
     * {@code [{},...]} wrote 520,000 WARNING lines, issue #23 item 7). Every job queued keeps its own line.
     */
    public Result intake(String delivery, Logger log) {
        ResourceEvents.Batch batch = ResourceEvents.parse(delivery);
        int events = batch.machines().size() + batch.ignored().size() + batch.malformed().size();
        if (!batch.malformed().isEmpty()) {
            log.warning(summary(batch.malformed(), "malformed event(s) skipped", events, "malformed event skipped"));
        }
        if (!batch.ignored().isEmpty() && log.isLoggable(Level.FINE)) {
            log.fine(summary(batch.ignored(), "event(s) ignored", events, "ignored"));
        }
        List<OnboardingJob> jobs = new ArrayList<>();
        List<ResourceEvents.Skipped> outOfScope = new ArrayList<>();
        for (ResourceEvents.MachineWrite w : batch.machines()) {
            if (!scope.contains(w.machine().subscriptionId())) {
                outOfScope.add(new ResourceEvents.Skipped(w.eventId(), "[resourceId=" + w.machine().id() + "]"));
                continue;
            }
            OnboardingJob job = OnboardingJob.create(w.machine(), JobSource.EVENT, w.eventTime());
            log.info("[correlationId=" + job.correlationId() + "] [resourceId=" + w.machine().id() + "] [eventId=" + w.eventId()
                    + "] to reconcile, after " + w.operationName());
            jobs.add(job);
        }
        if (!outOfScope.isEmpty()) {
            log.info(summary(outOfScope, "event(s) out of scope: no job", events, "out of scope"));
        }
        return new Result(List.copyOf(jobs), batch.ignored().size(), batch.malformed().size(), outOfScope.size());
    }

    /** "N what (of E events in the delivery); reasons: r1 x n1, ...; first K: [eventId=..] sample: reason; ...". */
    private static String summary(List<ResourceEvents.Skipped> skipped, String what, int events, String sample) {
        StringBuilder b = new StringBuilder(String.format("%,d %s (of %,d event(s) in the delivery)", skipped.size(), what, events));
        if (skipped.size() > SAMPLES) {
            Map<String, Integer> reasons = new LinkedHashMap<>();
            for (ResourceEvents.Skipped s : skipped) {
                if (reasons.containsKey(s.reason()) || reasons.size() < REASONS) {
                    reasons.merge(s.reason(), 1, Integer::sum);
                }
            }
            int counted = reasons.values().stream().mapToInt(Integer::intValue).sum();
            b.append("; reasons: ");
            reasons.forEach((reason, n) -> b.append(Text.printable(reason, 120)).append(String.format(" x %,d, ", n)));
            b.setLength(b.length() - 2);
            if (counted < skipped.size()) {
                b.append(String.format(", other reasons x %,d", skipped.size() - counted));
            }
        }
        int shown = Math.min(SAMPLES, skipped.size());
        b.append(skipped.size() > shown ? "; first " + shown + ": " : ": ");
        for (int i = 0; i < shown; i++) {
            ResourceEvents.Skipped s = skipped.get(i);
            b.append(i == 0 ? "" : "; ").append("[eventId=").append(Text.printable(s.eventId(), 80)).append("] ").append(sample)
                    .append(": ").append(Text.printable(s.reason(), 200));
        }
        return b.toString();
    }
}
