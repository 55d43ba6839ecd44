package com.mdeonboarding.cli;

import com.mdeonboarding.model.Text;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The option values the commands take, each with the message that says what is accepted. */
final class OptionValues {
    static final String DEFAULT_WAIT = "5m";
    static final int DEFAULT_HISTORY = 20;
    /** The Functions host's local port, so that the same URLs work with either. */
    static final int DEFAULT_PORT = 7071;

    private OptionValues() {
    }

    /** 300, 300s, 5m or 1h; 0 does not wait; at most 24h. */
    static final class Wait implements ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("^([0-9]{1,6})([smh]?)$");

        @Override
        public Duration convert(String v) {
            Matcher m = DURATION.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
                if (d.compareTo(Duration.ofHours(24)) <= 0) {
                    return d;
                }
            }
            throw new TypeConversionException("'" + Text.printable(v) + "' is not a duration; expected e.g. 300, 90s, 10m (at most 24h)");
        }
    }

    /** 0 to 100 history entries. */
    static final class History implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            if (v.matches("^[0-9]{1,3}$") && Integer.parseInt(v) <= 100) {
                return Integer.parseInt(v);
            }
            throw new TypeConversionException("'" + Text.printable(v) + "' is not valid; expected a whole number from 0 to 100");
        }
    }

    /** A TCP port; 0 picks a free one. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            if (v.matches("^[0-9]{1,5}$") && Integer.parseInt(v) <= 65535) {
                return Integer.parseInt(v);
            }
            throw new TypeConversionException("'" + Text.printable(v) + "' is not a port number (0 picks a free one)");
        }
    }
}
