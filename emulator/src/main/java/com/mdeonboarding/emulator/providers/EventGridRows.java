package com.mdeonboarding.emulator.providers;

import com.mdeonboarding.emulator.operations.*;
import com.mdeonboarding.emulator.server.*;
import com.mdeonboarding.emulator.state.*;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Resource Graph rows of a subscription's Event Grid system topics ({@code resources} table, type
 * {@code microsoft.eventgrid/systemtopics}): the envelope every resource row has ({@link ResourceGraphRows}), with the
 * topic's identity, tags and properties as SystemTopics_Get returns them (Resource Graph's {@code properties} is the
 * provider's). Event subscriptions are not Resource Graph resources, so they have no rows.
 */
final class EventGridRows {
    private EventGridRows() {
    }

    static List<ObjectNode> of(EmulatedEventWiring wiring, String tenantId, String subscriptionId) {
        List<ObjectNode> out = new ArrayList<>();
        for (EmulatedEventWiring.Topic t : wiring.topics(subscriptionId)) {
            ObjectNode arm = EventGridJson.topic(subscriptionId, t);
            ObjectNode o = ResourceGraphRows.envelope(t.id(subscriptionId), t.name(), "microsoft.eventgrid/systemtopics", tenantId,
                    subscriptionId, t.resourceGroup(), t.location());
            o.set("identity", arm.get("identity") == null ? null : arm.get("identity"));
            if (arm.get("identity") == null) {
                o.putNull("identity");
            }
            o.set("tags", arm.get("tags").isNull() ? Json.obj() : arm.get("tags"));
            o.set("properties", arm.get("properties"));
            out.add(o);
        }
        return out;
    }
}
