package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepRequest;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** The safety net: a scheduled pass over everything in scope (MDE_SWEEP_SCHEDULE, default every 6 hours); jobs go to the queue. */
public class ComplianceSweep extends HostFunction {
    public static final String NAME = "ComplianceSweep";

    public ComplianceSweep() {
        super(Services::shared);
    }

    public ComplianceSweep(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%MDE_SWEEP_SCHEDULE%") String timerInfo, ExecutionContext context) {
        Services s = services();
        s.sweeps.run(SweepRequest.scheduled(), s.jobQueue::enqueue, context.getLogger());
    }
}
