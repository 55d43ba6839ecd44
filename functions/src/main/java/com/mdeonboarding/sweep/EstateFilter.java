package com.mdeonboarding.sweep;

import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.decide.ReasonFamily;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Text;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which machines to show or count: by subscription, resource group, kind, standing, decision, reason code and reason family,
 * all optional, all of them at once. The same parameters, spelled the same way, on the dashboard, {@code GET /api/machines}
 * and the CLI's {@code list}; {@link #parse} validates them with messages that say what is accepted.
 */
public record EstateFilter(Optional<String> subscription, Optional<String> resourceGroup, Optional<MachineKind> kind,
                           List<Estate.Standing> standings, Optional<DecisionKind> decision, Optional<ReasonCode> reason,
                           Optional<ReasonFamily> family) implements Predicate<EstateNow.Machine> {
    /** The query parameters, in the order links write them. */
    public static final List<String> PARAMETERS = List.of("subscription", "resourceGroup", "kind", "standing", "decision", "reason",
            "family");

    public EstateFilter {
        standings = List.copyOf(standings);
    }

    public static EstateFilter none() {
        return new EstateFilter(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** A bad value: which parameter, and a sentence that says what it accepts. */
    public static final class InvalidFilterException extends IllegalArgumentException {
        private final String parameter;

        InvalidFilterException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** From query parameters (or CLI options) by name; an empty value is no filter (a form's "all"). */
    public static EstateFilter parse(Function<String, Optional<String>> values) {
        Function<String, Optional<String>> v = name -> values.apply(name).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> subscription = v.apply("subscription").map(s -> {
            if (!Guid.isGuid(s)) {
                throw new InvalidFilterException("subscription", "subscription must be a subscription ID (a GUID); got '"
                        + Text.printable(s, 60) + "'");
            }
            return s.toLowerCase(Locale.ROOT);
        });
        Optional<String> group = v.apply("resourceGroup").map(g -> {
            if (g.length() > 90 || !g.matches("^[-\\w._()]+$")) {
                throw new InvalidFilterException("resourceGroup", "resourceGroup must be a resource group name (up to 90 letters, digits,"
                        + " '-', '_', '.', '(' or ')'); got '" + Text.printable(g, 100) + "'");
            }
            return g;
        });
        Optional<MachineKind> kind = v.apply("kind").map(k -> switch (k.toLowerCase(Locale.ROOT)) {
            case "vm" -> MachineKind.VM;
            case "arc" -> MachineKind.ARC;
            default -> throw new InvalidFilterException("kind", "kind must be vm or arc; got '" + Text.printable(k, 60) + "'");
        });
        List<Estate.Standing> standings = v.apply("standing").map(s -> Arrays.stream(s.split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).map(x -> enumValue(Estate.Standing.class, x, "standing")).distinct().toList()).orElse(List.of());
        Optional<DecisionKind> decision = v.apply("decision").map(d -> enumValue(DecisionKind.class, d, "decision"));
        Optional<ReasonCode> reason = v.apply("reason").map(r -> Arrays.stream(ReasonCode.values()).filter(c -> c.name().equals(r)).findFirst()
                .orElseThrow(() -> new InvalidFilterException("reason", "reason must be a reason code such as PLAN_NOT_ENABLED; got '"
                        + Text.printable(r, 60) + "'")));
        Optional<ReasonFamily> family = v.apply("family").map(f -> ReasonFamily.parse(f).orElseThrow(() -> new InvalidFilterException(
                "family", "family must be one of " + String.join(", ", Arrays.stream(ReasonFamily.values()).map(ReasonFamily::parameter)
                        .toList()) + "; got '" + Text.printable(f, 60) + "'")));
        return new EstateFilter(subscription, group, kind, standings, decision, reason, family);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String parameter) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new InvalidFilterException(parameter, parameter + " must be one of " + String.join(", ",
                Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()) + "; got '" + Text.printable(value, 60) + "'");
    }

    @Override
    public boolean test(EstateNow.Machine m) {
        return subscription.map(s -> m.id().subscriptionId().equals(s)).orElse(true)
                && resourceGroup.map(g -> m.id().resourceGroup().equalsIgnoreCase(g)).orElse(true)
                && kind.map(k -> m.id().kind() == k).orElse(true)
                && (standings.isEmpty() || standings.contains(m.standing()))
                && decision.map(d -> m.effectiveDecision() == d).orElse(true)
                && reason.map(r -> m.reasons().contains(r)).orElse(true)
                && family.map(f -> f.any(m.reasons())).orElse(true);
    }

    /** The same filter without its subscription (the subscriptions table compares them all). */
    public EstateFilter withoutSubscription() {
        return new EstateFilter(Optional.empty(), resourceGroup, kind, standings, decision, reason, family);
    }

    /** The same filter for other standings (the machine list shows those needing action). */
    public EstateFilter withStandings(List<Estate.Standing> s) {
        return new EstateFilter(subscription, resourceGroup, kind, s, decision, reason, family);
    }

    public EstateFilter withReason(Optional<ReasonCode> r) {
        return new EstateFilter(subscription, resourceGroup, kind, standings, decision, r, family);
    }

    public boolean any() {
        return !query().isEmpty();
    }

    /** As query parameters (the order of {@link #PARAMETERS}), for links that keep the filter. */
    public Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        subscription.ifPresent(s -> q.put("subscription", s));
        resourceGroup.ifPresent(g -> q.put("resourceGroup", g));
        kind.ifPresent(k -> q.put("kind", k.name().toLowerCase(Locale.ROOT)));
        if (!standings.isEmpty()) {
            q.put("standing", String.join(",", standings.stream().map(Enum::name).toList()));
        }
        decision.ifPresent(d -> q.put("decision", d.name()));
        reason.ifPresent(r -> q.put("reason", r.name()));
        family.ifPresent(f -> q.put("family", f.parameter()));
        return q;
    }
}
