package com.mdeonboarding.emulator.faults;

import java.util.ArrayList;
import java.util.List;

/** The fault rules in force; the first rule that applies to a request wins. Thread-safe. */
public final class Faults {
    private final List<FaultRule> rules = new ArrayList<>();

    public synchronized Faults add(FaultRule rule) {
        rules.add(rule);
        return this;
    }

    public synchronized void clear() {
        rules.clear();
    }

    public synchronized List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    public synchronized FaultRule match(String operationId, String method, String path) {
        for (FaultRule r : rules) {
            if (r.applies(operationId, method, path)) {
                return r;
            }
        }
        return null;
    }
}
