package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/** One onboarding job from the queue, handed to the controller ({@code control/Controller#process}). */
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
        services().controller.process(message, messageId, dequeueCount, context.getLogger());
    }
}
