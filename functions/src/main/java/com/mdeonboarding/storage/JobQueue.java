package com.mdeonboarding.storage;

import com.azure.storage.queue.QueueClient;
import com.mdeonboarding.decide.LookAgain;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Duration;

/** The onboarding-jobs queue, for jobs written outside an output binding (delayed re-checks, sweeps, CLI). */
public final class JobQueue {

    private final QueueClient queue;

    public JobQueue(QueueClient queue) {
        this.queue = queue;
    }

    public void enqueue(OnboardingJob job) {
        enqueue(job, Duration.ZERO);
    }

    /** The message becomes visible after {@code delay}: the queue is our timer for verify and back-off. */
    public void enqueue(OnboardingJob job, Duration delay) {
        Duration d = delay.isNegative() ? Duration.ZERO : (delay.compareTo(LookAgain.MAX_QUEUE_DELAY) > 0 ? LookAgain.MAX_QUEUE_DELAY : delay);
        queue.sendMessageWithResponse(JobCodec.encode(job), d.isZero() ? null : d, null, null, null);
    }

    public String name() {
        return queue.getQueueName();
    }
}
