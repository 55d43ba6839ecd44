package com.mdeonboarding.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The queue message schema: versioned JSON, one job per message. */
public final class JobCodec {
    /**
     * Read as strictly as events and HTTP bodies are (issue #23 item 7): a member given twice is refused (the last one
     * would win: a second {@code resourceId} names another machine), and so is content after the job.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("^Duplicate field '([^']*)'");
    private static final int MAX_ATTEMPT = 10_000;
    private static final java.util.regex.Pattern CORRELATION_ID = java.util.regex.Pattern.compile("^[A-Za-z0-9._:\\-]{1,100}$");

    private JobCodec() {
    }

    public static String encode(OnboardingJob job) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", OnboardingJob.SCHEMA_VERSION);
        n.put("resourceId", job.machine().id());
        n.put("source", job.source().wire());
        n.put("correlationId", job.correlationId());
        n.put("attempt", job.attempt());
        n.put("requestedAt", job.requestedAt().toString());
        return n.toString();
    }

    /** Decodes a message; a message we cannot understand is a {@link MalformedJobException}, never a guess. */
    public static OnboardingJob decode(String message) {
        JsonNode n;
        try {
            n = JSON.readTree(message);
        } catch (Exception e) {
            String why = String.valueOf(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            java.util.regex.Matcher twice = DUPLICATE.matcher(why);
            if (twice.find()) {
                throw new MalformedJobException("the member '" + twice.group(1) + "' appears twice");
            }
            if (why.startsWith("Trailing token")) {
                throw new MalformedJobException("there is content after the job's JSON object");
            }
            throw new MalformedJobException("the message is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new MalformedJobException("the message is not a JSON object");
        }
        int version = n.path("v").asInt(-1);
        if (version != OnboardingJob.SCHEMA_VERSION) {
            throw new MalformedJobException("unsupported job schema version " + n.path("v") + " (this build reads " + OnboardingJob.SCHEMA_VERSION + ")");
        }
        try {
            MachineId machine = MachineId.parse(text(n, "resourceId"));
            JobSource source = JobSource.fromWire(text(n, "source"));
            String correlationId = text(n, "correlationId");
            if (correlationId.length() > 100) {
                throw new MalformedJobException("correlationId is too long");
            }
            if (!CORRELATION_ID.matcher(correlationId).matches()) {
                // It opens every log line about the job: nothing that could forge or hide a line.
                throw new MalformedJobException("correlationId may only hold letters, digits, '.', '_', ':' and '-'");
            }
            int attempt = n.path("attempt").asInt(0);
            if (attempt > MAX_ATTEMPT) {
                // Follow-ups add one each and stop long before this; near Integer.MAX_VALUE the next one would overflow.
                throw new MalformedJobException("attempt " + attempt + " is beyond " + MAX_ATTEMPT);
            }
            Instant requestedAt = Instant.parse(text(n, "requestedAt"));
            return new OnboardingJob(machine, source, correlationId, attempt, requestedAt);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedJobException(e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new MalformedJobException("field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    public static final class MalformedJobException extends IllegalArgumentException {
        public MalformedJobException(String message) {
            super("malformed onboarding job: " + Text.printable(message, 300));
        }
    }
}
