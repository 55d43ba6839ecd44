package com.mdeonboarding.model;

/**
 * An Event Grid system topic of a subscription.
 *
 * @param id                its resource ID
 * @param topicType         e.g. {@code Microsoft.Resources.Subscriptions} (the one whose events name resource writes)
 * @param source            what it publishes for, e.g. {@code /subscriptions/{id}}
 * @param provisioningState {@code Succeeded} when it works
 */
public record SystemTopic(String id, String topicType, String source, String provisioningState) {
}
