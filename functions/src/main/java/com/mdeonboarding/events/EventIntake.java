package com.mdeonboarding.events;

import com.mdeonboarding.config.Scope;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.OnboardingJob;
import java.util.ArrayList;
import java.util.List;
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

    public Result intake(String delivery, Logger log) {
        ResourceEvents.Batch batch = ResourceEvents.parse(delivery);
        for (ResourceEvents.Skipped s : batch.malformed()) {
            log.warning("[eventId=" + s.eventId() + "] malformed event skipped: " + s.reason());
        }
        for (ResourceEvents.Skipped s : batch.ignored()) {
            log.fine("[eventId=" + s.eventId() + "] ignored: " + s.reason());
        }
        List<OnboardingJob> jobs = new ArrayList<>();
        int outOfScope = 0;
        for (ResourceEvents.MachineWrite w : batch.machines()) {
            if (!scope.contains(w.machine().subscriptionId())) {
                outOfScope++;
                log.info("[eventId=" + w.eventId() + "] [resourceId=" + w.machine().id() + "] out of scope: no job");
                continue;
            }
            OnboardingJob job = OnboardingJob.create(w.machine(), JobSource.EVENT, w.eventTime());
            log.info("[correlationId=" + job.correlationId() + "] [resourceId=" + w.machine().id() + "] [eventId=" + w.eventId()
                    + "] to reconcile, after " + w.operationName());
            jobs.add(job);
        }
        return new Result(List.copyOf(jobs), batch.ignored().size(), batch.malformed().size(), outOfScope);
    }
}
