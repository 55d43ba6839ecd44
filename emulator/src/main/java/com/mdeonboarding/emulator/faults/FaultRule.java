package com.mdeonboarding.emulator.faults;

import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault to inject into matching requests: an error status (429 with {@code Retry-After}, 500,
 * 503, ...), added latency, or a dropped connection; optionally only N times, only after skipping
 * the first K matches, or at random with a seeded probability.
 *
 * <pre>{@code
 * emulator.faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate")
 *         .status(429).retryAfterSeconds(1).times(2));
 * emulator.faults().add(FaultRule.forPath("/providers/Microsoft.Security/").status(503).probability(0.3, 42));
 * emulator.faults().add(FaultRule.forAll().latency(Duration.ofMillis(200)));
 * }</pre>
 *
 * A rule with only a latency delays the request and then lets it through.
 */
public final class FaultRule {
    private final String operationId;
    private final Pattern pathPattern;
    private String method;
    private Integer status;
    private Integer retryAfterSeconds;
    private String code;
    private String message;
    private int times = -1;
    private int skip;
    private Duration latency = Duration.ZERO;
    private boolean dropConnection;
    private boolean echoRequestBody;
    private boolean emptyBody;
    private boolean repeatNextLink;
    private double probability = 1.0;
    private Random random;
    private final AtomicInteger matches = new AtomicInteger();
    private final AtomicInteger applied = new AtomicInteger();

    private FaultRule(String operationId, Pattern pathPattern) {
        this.operationId = operationId;
        this.pathPattern = pathPattern;
    }

    /** Matches requests whose operationId (as in the request log) equals this one. */
    public static FaultRule forOperation(String operationId) {
        return new FaultRule(operationId, null);
    }

    /** Matches requests whose path contains a match of this regular expression (case-insensitive). */
    public static FaultRule forPath(String regex) {
        return new FaultRule(null, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }

    /** Matches every Resource Manager request. */
    public static FaultRule forAll() {
        return new FaultRule(null, null);
    }

    /** Only requests with this HTTP method. */
    public FaultRule method(String method) {
        this.method = method.toUpperCase(Locale.ROOT);
        return this;
    }

    /** Answer with this status and an ARM error body (code chosen from the status unless {@link #errorCode}). */
    public FaultRule status(int status) {
        this.status = status;
        return this;
    }

    public FaultRule retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public FaultRule errorCode(String code) {
        this.code = code;
        return this;
    }

    public FaultRule message(String message) {
        this.message = message;
        return this;
    }

    /** Apply to at most this many requests (default: unlimited). */
    public FaultRule times(int times) {
        this.times = times;
        return this;
    }

    /** Let the first {@code n} matching requests through before applying. */
    public FaultRule skip(int n) {
        this.skip = n;
        return this;
    }

    public FaultRule latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /**
     * The error's message quotes the request body, as some services' validation errors do ("The request content ...
     * Request content: '{...}'"): for a PUT of an extension that is its protected settings, the onboarding package. Used
     * with {@link #status}; a client must keep such text out of its logs and tables (issue #23 item 5).
     */
    public FaultRule echoRequestBody() {
        this.echoRequestBody = true;
        return this;
    }

    /** Answer {@link #status} with no body at all (e.g. a 307 without a Location, or a 200 with nothing in it). */
    public FaultRule emptyBody() {
        this.emptyBody = true;
        return this;
    }

    /**
     * Let the request through and make its answer's continuation repeat: a list's {@code nextLink} (Defender's
     * {@code @odata.nextLink}) names the request itself, a Resource Graph answer's {@code $skipToken} repeats the one
     * sent (or is set). A client that follows it without a cycle check never ends (issue #23 item 6).
     */
    public FaultRule repeatNextLink() {
        this.repeatNextLink = true;
        return this;
    }

    /** Close the connection without answering. */
    public FaultRule dropConnection() {
        this.dropConnection = true;
        return this;
    }

    /** Apply to each matching request with this probability, using a fixed seed so runs repeat. */
    public FaultRule probability(double probability) {
        return probability(probability, 0x5EEDL);
    }

    public FaultRule probability(double probability, long seed) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be between 0 and 1");
        }
        this.probability = probability;
        this.random = new Random(seed);
        return this;
    }

    /** How many requests this rule has been applied to. */
    public int appliedCount() {
        return applied.get();
    }

    /** Decides for one request; called under the Faults lock so counters and the random draw are consistent. */
    boolean applies(String opId, String requestMethod, String path) {
        if (operationId != null && !operationId.equals(opId)) {
            return false;
        }
        if (pathPattern != null && !pathPattern.matcher(path).find()) {
            return false;
        }
        if (method != null && !method.equals(requestMethod)) {
            return false;
        }
        if (times >= 0 && applied.get() >= times) {
            return false;
        }
        if (matches.incrementAndGet() <= skip) {
            return false;
        }
        if (random != null && random.nextDouble() >= probability) {
            return false;
        }
        applied.incrementAndGet();
        return true;
    }

    public Integer status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    public Duration latency() {
        return latency;
    }

    public boolean drops() {
        return dropConnection;
    }

    public boolean echoesRequestBody() {
        return echoRequestBody;
    }

    public boolean answersEmpty() {
        return emptyBody;
    }

    public boolean repeatsNextLink() {
        return repeatNextLink;
    }

    @Override
    public String toString() {
        return "FaultRule{" + (operationId != null ? "operation=" + operationId : pathPattern != null
                ? "path=" + pathPattern.pattern() : "all") + (method != null ? ", method=" + method : "")
                + (status != null ? ", status=" + status : "") + (retryAfterSeconds != null ? ", retryAfter="
                + retryAfterSeconds : "") + (dropConnection ? ", drop" : "") + (echoRequestBody ? ", echo" : "") + (emptyBody ? ", empty" : "") + (repeatNextLink ? ", repeat nextLink" : "") + (latency.isZero() ? "" : ", latency="
                + latency.toMillis() + "ms") + (times >= 0 ? ", times=" + times : "") + (skip > 0 ? ", skip=" + skip : "")
                + (random != null ? ", p=" + probability : "") + ", applied=" + applied.get() + "}";
    }
}
