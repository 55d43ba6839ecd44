package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.OnboardingJob;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/** A job that failed maxDequeueCount times lands here: record the machine as BLOCKED with the last error. */
public class RecordPoisonJob extends HostFunction {
    public static final String NAME = "RecordPoisonJob";

    public RecordPoisonJob() {
        super(Services::shared);
    }

    public RecordPoisonJob(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public void run(
            @QueueTrigger(name = "message", queueName = "%MDE_JOBS_QUEUE%-poison", connection = "AzureWebJobsStorage") String message,
            @BindingName("Id") String messageId,
            ExecutionContext context) {
        OnboardingJob job;
        try {
            job = JobCodec.decode(message);
        } catch (JobCodec.MalformedJobException e) {
            context.getLogger().severe("[messageId=" + messageId + "] poison message is not a job: " + e.getMessage());
            return;
        }
        services().reconciler.recordPoison(job);
        context.getLogger().severe("[correlationId=" + job.correlationId() + "] [resourceId=" + job.machine().id()
                + "] job failed repeatedly; recorded BLOCKED JOB_FAILED");
    }
}
