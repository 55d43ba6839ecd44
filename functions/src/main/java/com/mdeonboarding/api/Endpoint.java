package com.mdeonboarding.api;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.model.Text;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One route. Gives every request a correlation ID (in its log lines, the {@code X-Correlation-Id}
 * header and problem documents) and turns failures into problem documents, never a stack trace.
 */
public abstract class Endpoint {
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** The function key may come as {@code ?code=}; it is never an unknown parameter (and never logged). */
    private static final String FUNCTION_KEY_PARAMETER = "code";

    public final ApiResponse handle(ApiRequest request, Logger log) {
        String correlationId = UUID.randomUUID().toString();
        String tag = "[correlationId=" + correlationId + "] ";
        ApiResponse response;
        try {
            if (!request.method().equalsIgnoreCase(method())) {
                // The trigger takes every method, so that a known route answers 405 with Allow rather than 404.
                throw Problem.of(Problem.Type.METHOD_NOT_ALLOWED, Text.printable(request.method(), 20) + " is not allowed on " + path()
                        + "; use " + method()).with("allow", method()).exception();
            }
            response = answer(request, correlationId, log);
        } catch (ApiException e) {
            Problem p = e.problem();
            log.info(tag + name() + " answered " + p.status() + " " + p.type().uri() + ": " + Text.printable(p.detail(), 300));
            response = problem(p, correlationId);
            if (p.type() == Problem.Type.METHOD_NOT_ALLOWED) {
                response = response.withHeader("Allow", method());
            }
        } catch (ArmException e) {
            log.warning(tag + name() + ": Resource Manager call failed: " + e.getMessage());
            Problem.Type type = e.transientFailure() ? Problem.Type.UNAVAILABLE : Problem.Type.UPSTREAM;
            response = problem(Problem.of(type, "a Resource Manager call failed: " + Text.printable(e.getMessage(), 300)
                    + (e.transientFailure() ? "; try again later" : "")), correlationId);
        } catch (RuntimeException e) {
            log.log(Level.SEVERE, tag + name() + " failed", e);
            response = problem(Problem.of(Problem.Type.INTERNAL, "the request failed; the app's log has the cause under correlationId "
                    + correlationId), correlationId);
        }
        return response.withHeader(CORRELATION_HEADER, correlationId);
    }

    /** The route's work. Throws {@link ApiException} for anything the caller must fix. */
    protected abstract ApiResponse answer(ApiRequest request, String correlationId, Logger log);

    /** For log lines, e.g. "POST /api/onboarding". */
    protected abstract String name();

    /** The one HTTP method the route takes, e.g. "POST". */
    protected abstract String method();

    /** The route's path, e.g. "/api/onboarding". */
    public final String path() {
        return name().substring(name().indexOf(' ') + 1);
    }

    /** "POST /api/onboarding": the method and path, as routing tables key them. */
    public final String route() {
        return method() + " " + path();
    }

    /** A problem answered outside any route (no such route, busy, too large): with its own correlation ID, as every answer. */
    public static ApiResponse problemFor(Problem p) {
        String correlationId = UUID.randomUUID().toString();
        return problem(p, correlationId).withHeader(CORRELATION_HEADER, correlationId);
    }

    private static ApiResponse problem(Problem p, String correlationId) {
        return ApiResponse.problem(p.with("instance", "urn:uuid:" + correlationId).with("correlationId", correlationId));
    }

    /** Refuses query parameters the route does not know (a typo must not be silently ignored). */
    protected static void onlyParameters(ApiRequest request, String... known) {
        List<String> allowed = Arrays.asList(known);
        for (String name : request.query().keySet()) {
            if (name.equalsIgnoreCase(FUNCTION_KEY_PARAMETER) || allowed.stream().anyMatch(name::equalsIgnoreCase)) {
                continue;
            }
            throw Problem.of(Problem.Type.INVALID_REQUEST, "unknown query parameter '" + Text.printable(name, 60) + "'"
                    + (known.length == 0 ? "; this route takes none" : "; accepted: " + String.join(", ", known)))
                    .at(Text.printable(name, 60), null).exception();
        }
    }
}
