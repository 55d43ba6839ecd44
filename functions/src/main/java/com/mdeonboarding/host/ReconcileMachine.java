package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * One onboarding job from the queue -> reconcile that machine; when the result asks for another look, the queue is the
 * timer: a delayed job on the same queue. A failure is rethrown so the queue retries it.
 */
public class ReconcileMachine extends HostFunction {
    public static final String NAME = "ReconcileMachine";

    public ReconcileMachine() {
        super(Services::shared);
    }

    public ReconcileMachine(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public void run(
            @QueueTrigger(name = "message", queueName = "%MDE_JOBS_QUEUE%", connection = "AzureWebJobsStorage") String message,
            @BindingName("Id") String messageId,
            @BindingName("DequeueCount") int dequeueCount,
            ExecutionContext context) {
        Logger log = context.getLogger();
        OnboardingJob job;
        try {
            job = JobCodec.decode(message);
        } catch (JobCodec.MalformedJobException e) {
            // Retrying cannot fix it: log it with the message ID and drop it.
            log.severe("[messageId=" + messageId + "] " + e.getMessage());
            return;
        }
        Services s = services();
        try {
            ReconcileResult result = DecisionTelemetry.reconcile(s, job, () -> s.reconciler.reconcile(job, log));
            if (result.requeueAfter().isPresent()) {
                Duration delay = result.requeueAfter().get();
                s.jobQueue.enqueue(result.followUp(job, s.clock.instant()), delay);
                log.fine("[correlationId=" + job.correlationId() + "] [resourceId=" + job.machine().id() + "] re-check in "
                        + delay.toSeconds() + " s");
            }
        } catch (RuntimeException e) {
            s.stateStore.noteError(job.machine(), job.correlationId(), dequeueCount, e);
            throw e;
        }
    }
}
