package com.mdeonboarding.api;

/** Validation and lookups stop with one of these; the route answers its problem document. */
public final class ApiException extends RuntimeException {
    private final Problem problem;

    public ApiException(Problem problem) {
        super(problem.type().uri() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
