package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/** A job that failed maxDequeueCount times lands here: the controller records the machine BLOCKED with the last error. */
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
        services().controller.poison(message, messageId, context.getLogger());
    }
}
