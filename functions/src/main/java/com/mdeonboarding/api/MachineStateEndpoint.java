package com.mdeonboarding.api;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.Text;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code GET /api/machines/state?resourceId=...[&history=N]}: what the state store knows about one
 * machine. Reads are not limited to the current scope: a machine recorded before a scope change still
 * shows why it was left.
 */
public final class MachineStateEndpoint extends Endpoint {
    public static final int DEFAULT_HISTORY = 20;
    public static final int MAX_HISTORY = 100;

    private final MachineStateStore store;

    public MachineStateEndpoint(MachineStateStore store) {
        this.store = store;
    }

    public static MachineStateEndpoint from(Services s) {
        return new MachineStateEndpoint(s.stateStore);
    }

    @Override
    protected String method() {
        return "GET";
    }

    @Override
    protected String name() {
        return "GET /api/machines/state";
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request, "resourceId", "history");
        String raw = request.queryParameter("resourceId").orElseThrow(() -> Problem.of(Problem.Type.INVALID_REQUEST,
                "the query parameter resourceId is required, e.g. ?resourceId=/subscriptions/{guid}/resourceGroups/{group}"
                        + "/providers/Microsoft.Compute/virtualMachines/{name} (URL-encoded)").at("resourceId", null).exception());
        MachineId id = MachineId.tryParse(raw).orElseThrow(() -> Problem.of(Problem.Type.INVALID_RESOURCE_ID, "'"
                + Text.printable(raw) + "' is not a resource ID of an Azure VM or Arc machine (expected /subscriptions/{guid}"
                + "/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name} or .../Microsoft.HybridCompute"
                + "/machines/{name})").at("resourceId", null).exception());
        int history = history(request);
        MachineRecord state = store.get(id).orElseThrow(() -> Problem.of(Problem.Type.NOT_FOUND, "nothing is recorded for "
                + id.id() + " yet: it has not been reconciled (request it with POST /api/onboarding)").at("resourceId", null).exception());
        List<MachineStateStore.HistoryEntry> entries = history == 0 ? List.of() : store.history(id, history);
        log.fine("[correlationId=" + correlationId + "] [resourceId=" + id.id() + "] state read: " + state.kind());
        return ApiResponse.json(200, MachineStateView.toJson(state, entries));
    }

    private static int history(ApiRequest request) {
        String v = request.queryParameter("history").orElse(String.valueOf(DEFAULT_HISTORY));
        if (v.matches("^[0-9]{1,3}$")) {
            int n = Integer.parseInt(v);
            if (n <= MAX_HISTORY) {
                return n;
            }
        }
        throw Problem.of(Problem.Type.INVALID_REQUEST, "history must be a whole number from 0 to " + MAX_HISTORY + "; got '"
                + Text.printable(v, 40) + "'").at("history", null).exception();
    }
}
