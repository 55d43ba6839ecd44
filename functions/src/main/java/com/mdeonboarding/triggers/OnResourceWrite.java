package com.mdeonboarding.triggers;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.mdeonboarding.Services;
import com.mdeonboarding.events.EventIntake;
import java.util.List;

/** Event Grid (subscription system topic) -> one onboarding job per machine written. */
public class OnResourceWrite {
    public static final String NAME = "OnResourceWrite";

    @FunctionName(NAME)
    public void run(
            @EventGridTrigger(name = "event") String event,
            @QueueOutput(name = "jobs", queueName = "%MDE_JOBS_QUEUE%", connection = "AzureWebJobsStorage") OutputBinding<List<String>> jobs,
            ExecutionContext context) {
        EventIntake.Result result = Services.get().eventIntake.intake(event, context.getLogger());
        if (!result.jobs().isEmpty()) {
            jobs.setValue(result.messages());
        }
    }
}
