package com.mdeonboarding.azure;

import com.mdeonboarding.model.Text;
import java.util.Optional;

/**
 * Strings from Azure's answers, made safe where they enter the app. They are written by whoever controls the resource or
 * the service's component that reports on it: an extension handler's status message and the installer's log it quotes
 * (whatever the guest wrote), a Run Command's error, a machine's OS and computer names (set inside the guest), tags, a
 * provider's error message. Each is escaped ({@link Text#printable}: no control, escape, line-separator or bidi character
 * survives, so none can forge a log line, rewrite a terminal or hide what it is) and bounded, once, here; the state and
 * history tables, the logs, the HTTP API and the command line then only ever see printable text of known size
 * (issue #23 item 4). Identifiers Azure sends keep their meaning: a valid ID, name or state has nothing to escape.
 */
final class AzureText {
    /** A status or error message: Azure's own are a few hundred characters; this keeps the cause and drops the flood. */
    static final int MESSAGE = 2_000;
    /** Names, states, codes, tag keys and values (Resource Manager allows 512-character tag names, 256-character values). */
    static final int NAME = 512;
    /** An installer's log (an extension's substatus): its end, where the installer writes why it failed. */
    static final int LOG_TAIL = 4_000;

    private AzureText() {
    }

    /** A message: escaped, at most {@link #MESSAGE} characters; null stays null. */
    static String message(String s) {
        return s == null ? null : Text.printable(s, MESSAGE);
    }

    /** A name, state or code: escaped, at most {@link #NAME} characters; null stays null. */
    static String name(String s) {
        return s == null ? null : Text.printable(s, NAME);
    }

    static Optional<String> message(Optional<String> s) {
        return s.map(AzureText::message);
    }

    /**
     * A message with a log appended (HybridCompute's {@code "<message>, executionlog: <log>"}): escaped, its first and last
     * {@code MESSAGE / 2} characters when longer than {@link #MESSAGE}, so that both the cause and the log's end stay.
     */
    static String messageAndLog(String s) {
        if (s == null) {
            return null;
        }
        String escaped = Text.printable(s, MESSAGE + 1);
        if (escaped.length() <= MESSAGE) {
            return escaped;
        }
        return Text.printable(s, MESSAGE / 2) + " ... " + Text.printableTail(s, MESSAGE / 2);
    }

    /** The end of a log: escaped, at most {@link #LOG_TAIL} characters. */
    static String logTail(String s) {
        return s == null ? null : Text.printableTail(s, LOG_TAIL);
    }
}
