package com.mdeonboarding.decide;

import com.mdeonboarding.model.Reach;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether Run Command (the guest checks, passive mode) can reach a machine's guest. Arc run commands need the
 * Connected Machine agent 1.33 or later: "The Connected Machine agent version on the Arc-enabled server must be 1.33
 * or higher" (learn.microsoft.com, "REST API requests for Run command on Azure Arc-enabled servers", Prerequisites).
 * An agent version that is not reported or cannot be read does not stop a try.
 */
public final class RunCommandSupport {
    static final int MIN_MAJOR = 1;
    static final int MIN_MINOR = 33;
    private static final Pattern MAJOR_MINOR = Pattern.compile("^\\s*(\\d{1,4})\\.(\\d{1,4})");

    private RunCommandSupport() {
    }

    /** Empty when Run Command can run on the machine; otherwise why not, and what the operator should do. */
    public static Optional<String> unavailable(Reach reach) {
        if (!(reach instanceof Reach.Arc arc) || arc.agentVersion().isEmpty()) {
            return Optional.empty();
        }
        Matcher m = MAJOR_MINOR.matcher(arc.agentVersion().get());
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR)) {
            return Optional.empty();
        }
        return Optional.of("the Connected Machine agent " + arc.agentVersion().get() + " is older than " + MIN_MAJOR + "." + MIN_MINOR
                + ", which Arc run commands need: upgrade the Connected Machine agent (azcmagent upgrade, or the agent's"
                + " package) and the machine is checked on the next pass");
    }
}
