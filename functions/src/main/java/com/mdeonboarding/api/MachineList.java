package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.AzureCloud;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.sweep.EstateNow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * One machine of the estate as a row of the export ({@code GET /api/machines}, the CLI's {@code list}): the same columns in
 * JSON and CSV, so the two are equal cell for cell (a test checks), with links to the machine in the Azure portal and, when
 * its Defender for Endpoint device ID is known, to the device page of the Microsoft Defender portal.
 */
public final class MachineList {
    /** The columns, in order: JSON member names and the CSV header alike. */
    public static final List<String> COLUMNS = List.of("resourceId", "subscriptionId", "subscriptionName", "resourceGroup", "name",
            "kind", "standing", "decision", "reasons", "detail", "updatedAt", "deviceId", "azurePortalUrl", "defenderPortalUrl");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MachineList() {
    }

    /** Portal addresses per cloud (Azure portal, Microsoft Defender portal). */
    public record Portals(String azure, String defender) {
        public static Portals of(AzureCloud cloud) {
            // The Azure portal of the cloud (AzureEnvironment#getPortal: portal.azure.com, portal.azure.us); the Defender
            // portal's device page is security.microsoft.com/machines/v2/{deviceId}/overview (GCC High and DoD: .us).
            String azure = cloud.environment().getPortal();
            return new Portals(azure.endsWith("/") ? azure.substring(0, azure.length() - 1) : azure,
                    cloud == AzureCloud.AzureUSGovernment ? "https://security.microsoft.us" : "https://security.microsoft.com");
        }

        public String resource(String resourceId) {
            return azure + "/#@/resource" + resourceId + "/overview";
        }

        public String device(String deviceId) {
            return defender + "/machines/v2/" + deviceId + "/overview";
        }
    }

    /** The row's cells by column, as text (absent values are empty; reasons are joined by spaces). */
    public static List<String> cells(EstateNow.Machine m, Map<String, String> subscriptionNames, Portals portals) {
        Optional<MachineRecord> r = m.record();
        Optional<String> device = deviceId(m);
        List<String> c = new ArrayList<>(COLUMNS.size());
        c.add(m.id().id());
        c.add(m.id().subscriptionId());
        c.add(subscriptionNames.getOrDefault(m.id().subscriptionId(), ""));
        c.add(m.id().resourceGroup());
        c.add(m.id().name());
        c.add(m.id().kind() == MachineKind.VM ? "vm" : "arc");
        c.add(m.standing().name());
        c.add(m.decision().map(Enum::name).orElse(""));
        c.add(String.join(" ", m.reasons().stream().map(Enum::name).toList()));
        c.add(r.flatMap(MachineRecord::detail).orElse(""));
        c.add(r.map(x -> x.written().updatedAt().toString()).orElse(""));
        c.add(device.orElse(""));
        c.add(portals.resource(m.id().id()));
        c.add(device.map(portals::device).orElse(""));
        return c;
    }

    public static Optional<String> deviceId(EstateNow.Machine m) {
        return m.record().flatMap(x -> x.extension().sensor()).flatMap(s -> s.deviceId()).filter(d -> d.matches("^[0-9a-fA-F]{40}$"));
    }

    /** A row as JSON: the same cells, empty ones as null, reasons as an array. */
    public static ObjectNode json(List<String> cells) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String col = COLUMNS.get(i);
            String v = cells.get(i);
            if (col.equals("reasons")) {
                ArrayNode a = n.putArray(col);
                for (String code : v.split(" ")) {
                    if (!code.isEmpty()) {
                        a.add(code);
                    }
                }
            } else {
                n.put(col, v.isEmpty() ? null : v);
            }
        }
        return n;
    }

    /**
     * Rows as CSV (RFC 4180, a header first). A cell that a spreadsheet would run as a formula (one starting with =, +, -,
     * @, a tab or a carriage return: text from Azure can) gets a leading apostrophe, as OWASP's "CSV injection" advice says.
     */
    public static String csv(List<List<String>> rows) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get())) {
            for (List<String> row : rows) {
                p.printRecord(row.stream().map(MachineList::neutralized).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The cell as a spreadsheet may safely open it. */
    public static String neutralized(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    /** Tab-separated, one machine a line, no header: for cut, awk and sort (tabs and line breaks in values become spaces). */
    public static String tsv(List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            b.append(String.join("\t", row.stream().map(c -> c.replaceAll("[\\t\\r\\n]", " ")).toList())).append('\n');
        }
        return b.toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
