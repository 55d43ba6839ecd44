package com.mdeonboarding.triggers;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.mdeonboarding.Services;
import com.mdeonboarding.jobs.JobCodec;
import com.mdeonboarding.jobs.OnboardingJob;

/** One onboarding job from the queue -> reconcile that machine. A failure is rethrown so the queue retries it. */
public class ReconcileMachine {
    public static final String NAME = "ReconcileMachine";

    @FunctionName(NAME)
    public void run(
            @QueueTrigger(name = "message", queueName = "%MDE_JOBS_QUEUE%", connection = "AzureWebJobsStorage") String message,
            @BindingName("Id") String messageId,
            @BindingName("DequeueCount") int dequeueCount,
            ExecutionContext context) {
        Services services = Services.get();
        OnboardingJob job;
        try {
            job = JobCodec.decode(message);
        } catch (JobCodec.MalformedJobException e) {
            // Retrying cannot fix it: log it with the message ID and drop it.
            context.getLogger().severe("[messageId=" + messageId + "] " + e.getMessage());
            return;
        }
        try {
            services.reconciler.reconcile(job, context.getLogger());
        } catch (RuntimeException e) {
            services.stateStore.noteError(job.machine(), job.correlationId(), dequeueCount, e);
            throw e;
        }
    }
}
