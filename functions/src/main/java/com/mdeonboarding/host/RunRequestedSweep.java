package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepRequestQueue;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/**
 * A sweep asked for with POST /api/sweeps: runs it as the timer would, under the ID the request was answered with; its
 * jobs go to the jobs queue. A failure is rethrown, so the queue retries it (a finished sweep is not run twice).
 */
public class RunRequestedSweep extends HostFunction {
    public static final String NAME = "RunRequestedSweep";

    public RunRequestedSweep() {
        super(Services::shared);
    }

    public RunRequestedSweep(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public void run(
            @QueueTrigger(name = "message", queueName = "%MDE_JOBS_QUEUE%" + SweepRequestQueue.SUFFIX, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("Id") String messageId,
            ExecutionContext context) {
        services().controller.sweepRequested(message, messageId, context.getLogger());
    }
}
