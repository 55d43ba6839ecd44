package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.events.EventIntake;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import java.util.List;

/** Event Grid (subscription system topic) -> one onboarding job per machine written. */
public class OnResourceWrite extends HostFunction {
    public static final String NAME = "OnResourceWrite";

    public OnResourceWrite() {
        super(Services::shared);
    }

    public OnResourceWrite(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public void run(
            @EventGridTrigger(name = "event") String event,
            @QueueOutput(name = "jobs", queueName = "%MDE_JOBS_QUEUE%", connection = "AzureWebJobsStorage") OutputBinding<List<String>> jobs,
            ExecutionContext context) {
        EventIntake.Result result = services().eventIntake.intake(event, context.getLogger());
        if (!result.jobs().isEmpty()) {
            jobs.setValue(result.messages());
        }
    }
}
