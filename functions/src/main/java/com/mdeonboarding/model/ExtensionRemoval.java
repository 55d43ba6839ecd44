package com.mdeonboarding.model;

import java.time.Instant;
import java.util.Optional;

/**
 * An MDE extension that was removed from a machine by someone other than this app, as a delete event or the state row
 * saw it.
 *
 * @param machine       the machine
 * @param extensionName MDE.Windows or MDE.Linux
 * @param at            when (the event's time, or when a reconcile first saw it gone)
 * @param by            who, from the delete event's claims (user principal name, else name, else application ID) and
 *                      authorization evidence (principal type); empty when only the state row noticed
 * @param correlationId the Resource Manager correlation ID of the delete, to find it in the activity log; empty without an event
 */
public record ExtensionRemoval(MachineId machine, String extensionName, Instant at, Optional<String> by, Optional<String> correlationId) {

    /** e.g. "removed by alice@contoso.com (User) at 2026-12-08T10:00:00Z, correlation 1c2d..." */
    public String describe() {
        return "removed " + by.map(b -> "by " + b + " ").orElse("by someone else ") + "at " + at
                + correlationId.map(c -> " (activity log correlation ID " + c + ")").orElse("");
    }
}
