package com.mdeonboarding.triggers;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.mdeonboarding.Services;
import com.mdeonboarding.posture.SweepRequest;

/** The safety net: a scheduled pass over everything in scope (MDE_SWEEP_SCHEDULE, default every 6 hours). */
public class ComplianceSweep {
    public static final String NAME = "ComplianceSweep";

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%MDE_SWEEP_SCHEDULE%") String timerInfo, ExecutionContext context) {
        Services.get().sweeps.run(SweepRequest.scheduled(), context.getLogger());
    }
}
