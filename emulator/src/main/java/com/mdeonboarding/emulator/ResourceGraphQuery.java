package com.mdeonboarding.emulator;

import java.util.List;
import java.util.Map;

/**
 * Answers one of the app's Resource Graph queries from the emulated state. The emulator does not
 * interpret KQL: a query is recognised by its first line, a marker comment
 * {@code // mde-onboarding:<query-name>}, and answered by the query registered under that name.
 * Register more with {@link ArmEmulator.Builder#resourceGraphQuery} or {@link ArmEmulator#registerQuery}.
 */
@FunctionalInterface
public interface ResourceGraphQuery {
    /**
     * @param state           the tenant
     * @param subscriptionIds the subscriptions in scope (those of the request that exist in the tenant), sorted
     * @return one map per row, column name to value (String, Number, Boolean, Map, List or null), in a stable
     *         order (paging slices this list)
     */
    List<Map<String, Object>> rows(TenantState state, List<String> subscriptionIds);
}
