package com.mdeonboarding.config;

import com.azure.core.management.AzureEnvironment;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Azure clouds we can run in (names as the Azure CLI spells them), with the Defender for
 * Endpoint API hosts each one's identities can call.
 *
 * <p>Azure China (21Vianet) is not here on purpose: the Defender for Servers support matrix lists its
 * Defender for Endpoint integration as not available there (see {@link Settings}).
 *
 * <p>Defender for Endpoint API hosts and token audiences: MicrosoftDocs/defender-docs
 * {@code defender-endpoint/api/get-machines.md} (base URL {@code https://api.security.microsoft.com}),
 * {@code api/exposed-apis-create-app-webapp.md} (audience {@code https://api.securitycenter.microsoft.com},
 * requests to {@code api.securitycenter.microsoft.com}), {@code includes/improve-request-performance.md} and
 * learn.microsoft.com {@code defender-endpoint/api/exposed-apis-create-app-nativeapp} (geo hosts
 * us/eu/uk/au/swa/ina/aea), {@code defender-endpoint/gov.md} (GCC: API {@code api-gcc.securitycenter.microsoft.us},
 * sign-in {@code login.microsoftonline.com}; GCC High and DoD: API {@code api-gov.securitycenter.microsoft.us},
 * sign-in {@code login.microsoftonline.us}). The US Government audiences equal their API hosts: gov.md does
 * not spell them out; public clients of the API use them so.
 */
public enum AzureCloud {
    /**
     * Commercial Azure. A GCC tenant signs in at login.microsoftonline.com like commercial tenants do, so its
     * Defender for Endpoint API (api-gcc) is reached from this cloud, selected with MDE_DEFENDER_API_ENDPOINT.
     */
    AzureCloud(AzureEnvironment.AZURE, "https://api.security.microsoft.com", commercialDefenderHosts()),
    /**
     * Azure Government: its identities sign in at login.microsoftonline.us, which is the GCC High / DoD sign-in,
     * so the only Defender for Endpoint API its tokens are good for is api-gov (GCC High and DoD share it).
     */
    AzureUSGovernment(AzureEnvironment.AZURE_US_GOVERNMENT, "https://api-gov.securitycenter.microsoft.us",
            Map.of("api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us"));

    private static final String COMMERCIAL_AUDIENCE = "https://api.securitycenter.microsoft.com";
    private static final String GCC_AUDIENCE = "https://api-gcc.securitycenter.microsoft.us";

    private final AzureEnvironment environment;
    private final String defaultDefenderApiUrl;
    private final Map<String, String> defenderApiAudienceByHost;

    AzureCloud(AzureEnvironment environment, String defaultDefenderApiUrl, Map<String, String> defenderApiAudienceByHost) {
        this.environment = environment;
        this.defaultDefenderApiUrl = defaultDefenderApiUrl;
        this.defenderApiAudienceByHost = Map.copyOf(defenderApiAudienceByHost);
    }

    private static Map<String, String> commercialDefenderHosts() {
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("api.security.microsoft.com", COMMERCIAL_AUDIENCE);
        hosts.put("api.securitycenter.microsoft.com", COMMERCIAL_AUDIENCE);
        for (String geo : new String[] {"us", "eu", "uk", "au", "swa", "ina", "aea"}) {
            hosts.put(geo + ".api.security.microsoft.com", COMMERCIAL_AUDIENCE);
        }
        hosts.put("api-gcc.securitycenter.microsoft.us", GCC_AUDIENCE);
        return hosts;
    }

    public AzureEnvironment environment() {
        return environment;
    }

    /** The host of this cloud's Resource Manager endpoint, e.g. {@code management.azure.com}. */
    public String resourceManagerHost() {
        return URI.create(environment.getResourceManagerEndpoint()).getHost().toLowerCase(Locale.ROOT);
    }

    /** The Defender for Endpoint API used when MDE_DEFENDER_API_ENDPOINT is empty, without a trailing slash. */
    public String defaultDefenderApiUrl() {
        return defaultDefenderApiUrl;
    }

    /** Every Defender for Endpoint API host this cloud's identities may call (lower case, sorted). */
    public List<String> defenderApiHosts() {
        return defenderApiAudienceByHost.keySet().stream().sorted().toList();
    }

    /** The token audience of a Defender for Endpoint API host of this cloud. */
    public Optional<String> defenderApiAudience(String host) {
        return Optional.ofNullable(defenderApiAudienceByHost.get(host.toLowerCase(Locale.ROOT)));
    }
}
