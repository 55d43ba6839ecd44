package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/**
 * Every 2 minutes: a look queued for every machine whose next look is overdue (its follow-up job was lost with a worker
 * or an acknowledgement), so no machine waits for the next sweep ({@code control/Controller#resync}).
 */
public class Resync extends HostFunction {
    public static final String NAME = "Resync";

    public Resync() {
        super(Services::shared);
    }

    public Resync(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "0 */2 * * * *") String timerInfo, ExecutionContext context) {
        services().controller.resync(context.getLogger());
    }
}
