package com.mdeonboarding.model;

/**
 * Our event subscription on a topic as Event Grid returns it: what a wiring check compares.
 *
 * @param subscription        destination, filters and state
 * @param deadLetter          {@code <storage account ID>/<container>} it dead-letters to, "" when none
 * @param deadLetterIdentity  the user-assigned identity it dead-letters with, "" when none
 * @param maxDeliveryAttempts its retry policy's attempts
 */
public record WiredSubscription(TopicSubscription subscription, String deadLetter, String deadLetterIdentity, int maxDeliveryAttempts) {
}
