package com.mdeonboarding.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;
import java.time.Duration;

/**
 * The pipeline's retry (exponential back-off, Retry-After honoured by the policy), except for a failed sign-in: the
 * credential already tried every way it knows, so trying again only makes the operator wait (the CLI waited 10 s for
 * five identical failures).
 */
final class SignInAwareRetry implements RetryStrategy {
    private final RetryStrategy delegate;

    SignInAwareRetry(RetryStrategy delegate) {
        this.delegate = delegate;
    }

    static boolean signInFailure(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof ClientAuthenticationException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getMaxRetries() {
        return delegate.getMaxRetries();
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
        return delegate.calculateRetryDelay(retryAttempts);
    }

    @Override
    public Duration calculateRetryDelay(RequestRetryCondition condition) {
        return delegate.calculateRetryDelay(condition);
    }

    @Override
    public boolean shouldRetry(HttpResponse response) {
        return delegate.shouldRetry(response);
    }

    @Override
    public boolean shouldRetryException(Throwable throwable) {
        return !signInFailure(throwable) && delegate.shouldRetryException(throwable);
    }

    @Override
    public boolean shouldRetryCondition(RequestRetryCondition condition) {
        return (condition.getThrowable() == null || !signInFailure(condition.getThrowable())) && delegate.shouldRetryCondition(condition);
    }
}
