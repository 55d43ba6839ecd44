package com.mdeonboarding.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Scope;
import com.mdeonboarding.testing.CapturingLogger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue #23 item 7: a delivery's log is bounded by the delivery, not by what it holds. 1 MB of {@code [{},...]} wrote
 * 520,000 WARNING lines; now each kind of event the intake drops (malformed, ignored, out of scope) is one summary line
 * per delivery with its count, its reasons counted and a few samples.
 */
class EventIntakeLogTest {
    private static final String IN = "a1111111-1111-4111-8111-111111111111";
    private static final String OUT = "d4444444-4444-4444-8444-444444444444";
    private final EventIntake intake = new EventIntake(new Scope(List.of(IN), List.of(), false, Set::of));

    @Test
    void aMegabyteOfEmptyEventsIsOneSummaryLine() {
        StringBuilder b = new StringBuilder("[{}");
        while (b.length() < ResourceEvents.MAX_BODY_CHARS - 4) {
            b.append(",{}");
        }
        String delivery = b.append(']').toString();
        List<String> lines = new ArrayList<>();
        EventIntake.Result r = intake.intake(delivery, CapturingLogger.into(lines, "intake"));
        int events = (delivery.length() - 1) / 3;
        assertEquals(events, r.malformed(), "every empty event is counted");
        assertEquals(1, lines.size(), () -> lines.size() + " lines, first: " + lines.get(0));
        String line = lines.get(0);
        assertTrue(line.startsWith("WARNING " + String.format("%,d", events) + " malformed event(s) skipped"), line);
        assertTrue(line.length() <= 2_000, "one bounded line: " + line.length());
        assertTrue(line.contains("[eventId="), "samples name their events: " + line);
    }

    @Test
    void outOfScopeAndIgnoredEventsAreSummarisedAndEveryJobStillHasItsLine() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            b.append(event("o" + i, OUT, "vm" + i, "Microsoft.Compute/virtualMachines/write")).append(',');
            b.append(event("x" + i, IN, "vm" + i + "/extensions/MDE.Windows", "Microsoft.Compute/virtualMachines/extensions/write")).append(',');
        }
        b.append(event("in", IN, "wanted", "Microsoft.Compute/virtualMachines/write")).append(']');
        List<String> lines = new ArrayList<>();
        EventIntake.Result r = intake.intake(b.toString(), CapturingLogger.into(lines, "intake"));
        assertEquals(1, r.jobs().size());
        assertEquals(500, r.outOfScope());
        assertEquals(500, r.ignored());
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO 500 event(s) out of scope: no job")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FINE 500 event(s) ignored")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("job queued") && l.contains("/virtualMachines/wanted")), String.join("\n", lines));
    }

    private static String event(String id, String sub, String name, String operation) {
        String uri = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/" + name;
        return "{\"id\":\"" + id + "\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"" + uri + "\","
                + "\"eventTime\":\"2026-11-28T10:00:00Z\",\"dataVersion\":\"\",\"data\":{\"resourceUri\":\"" + uri + "\","
                + "\"operationName\":\"" + operation + "\",\"status\":\"Succeeded\"}}";
    }
}
