package com.mdeonboarding.decide;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one report line a guest check script printed, as typed fields. The shell reads the JSON; the rules only ask for
 * fields, and a field that is missing or of the wrong type is empty (unknown), never an error.
 */
public interface GuestReport {
    /** A string field, trimmed; empty when missing, blank or not a string. */
    Optional<String> text(String field);

    Optional<Boolean> bool(String field);

    Optional<Integer> integer(String field);

    /** The string items of a list field (other items are left out). */
    List<String> strings(String field);

    /** How many items a list field holds, of any type (0 when it is not a list). */
    int count(String field);

    /** An object field of flags: each member with its boolean value, empty where the value is not a boolean. */
    Map<String, Optional<Boolean>> flags(String field);

    /** The field as it was written, for messages. */
    String raw(String field);
}
