package com.mdeonboarding.bench;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineExtensionInner;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * The approach a user would pick instead of the app: a script that walks the machines one by one with the fluent
 * {@code azure-resourcemanager} API (test scope only), as the public scripts do. Modelled on Microsoft's
 * {@code Azure/Microsoft-Defender-for-Cloud}, "Powershell scripts/MDE Integration/MDE VM Extension Single VM
 * Onboard/MDESingleOnboard.ps1" (GET the subscription's {@code mdeOnboardings} package, PUT {@code MDE.Windows} with
 * {@code azureResourceId}, {@code vNextEnabled} and the package as {@code defenderForEndpointOnboardingScript}) run in
 * the loop of the community scripts built on it (e.g. {@code nakotw/Visual_studio_code_powershell_github},
 * "Enable_Defender_Extension.ps1": {@code Get-AzConnectedMachine}, the package, {@code New-AzConnectedMachineExtension},
 * which waits until the extension has finished): per machine, read it (for its location and OS), PUT the MDE
 * extension and wait for the operation to end. Such scripts check no plan, no integration setting and no guest
 * prerequisite; this one does not either (it reads the package once per subscription, which is cheaper than the
 * community loop's once per machine).
 *
 * <p>The fluent API has no Microsoft.HybridCompute or Microsoft.Security client (and the fine-grained SDKs for them are
 * not served here), so Arc machines and the package go through the umbrella's generic resources client, as a Java user
 * of the umbrella would do. The pipeline is the SDK's own ({@code AzureResourceManager.configure()}: its retry and
 * polling policies), with an HTTP client that trusts the emulator's CA and a fixed development token.
 */
final class FluentScript {
    static final String ARC_API = "2025-01-13";
    static final String MDE_API = "2021-10-01-preview";
    static final String PRICING_API = "2024-01-01";
    static final String SETTINGS_API = "2022-05-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final TokenCredential token = request -> Mono.just(new AccessToken(ArmEmulator.DEV_TOKEN, OffsetDateTime.now().plusHours(1)));
    private final Map<String, AzureResourceManager> bySubscription = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> packages = new ConcurrentHashMap<>();

    FluentScript(String baseUrl, Path caPem) {
        this.baseUrl = baseUrl;
        try (InputStream in = Files.newInputStream(caPem)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            SslContext ssl = SslContextBuilder.forClient().trustManager(ca).build();
            this.http = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create().secure(s -> s.sslContext(ssl))).build();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the emulator's CA " + caPem + ": " + e.getMessage(), e);
        }
    }

    /** What onboarding a list of machines cost: machines whose extension ended Succeeded, and failures. */
    record Onboarded(int machines, int succeeded, List<String> failures) {
    }

    AzureResourceManager azure(String subscriptionId) {
        return bySubscription.computeIfAbsent(subscriptionId, sub -> {
            Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
            endpoints.put("resourceManagerEndpointUrl", baseUrl + "/");
            AzureProfile profile = new AzureProfile(MachineMix.TENANT_ID, sub, new AzureEnvironment(endpoints));
            return AzureResourceManager.configure().withHttpClient(http).authenticate(token, profile).withSubscription(sub);
        });
    }

    /** The script's loop over {@code machines}, {@code parallel} at a time (1 = the scripts' plain foreach). */
    Onboarded onboard(List<MachineId> machines, int parallel) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<String>> results = new ArrayList<>();
        for (MachineId m : machines) {
            results.add(pool.submit(() -> onboardOne(m)));
        }
        List<String> failures = new ArrayList<>();
        int ok = 0;
        for (Future<String> f : results) {
            try {
                String failure = f.get();
                if (failure == null) {
                    ok++;
                } else {
                    failures.add(failure);
                }
            } catch (Exception e) {
                String text = String.valueOf(e.getCause() != null ? e.getCause() : e);
                failures.add(text.length() > 300 ? text.substring(0, 300) + "..." : text);
            }
        }
        pool.shutdown();
        return new Onboarded(machines.size(), ok, failures);
    }

    /** One machine: read it, PUT the MDE extension for its OS, wait until it has finished. Returns a failure or null. */
    private String onboardOne(MachineId m) {
        AzureResourceManager azure = azure(m.subscriptionId());
        Map<String, String> pkg = packages.computeIfAbsent(m.subscriptionId(), s -> onboardingPackage(azure, s));
        if (m.kind() == MachineKind.VM) {
            VirtualMachine vm = azure.virtualMachines().getById(m.id());
            boolean windows = vm.osType() == com.azure.resourcemanager.compute.models.OperatingSystemTypes.WINDOWS;
            String ext = windows ? "MDE.Windows" : "MDE.Linux";
            VirtualMachineExtensionInner done = azure.virtualMachines().manager().serviceClient().getVirtualMachineExtensions()
                    .createOrUpdate(m.resourceGroup(), m.name(), ext, new VirtualMachineExtensionInner().withLocation(vm.regionName())
                            .withPublisher("Microsoft.Azure.AzureDefenderForServers").withTypePropertiesType(ext).withTypeHandlerVersion("1.0")
                            .withAutoUpgradeMinorVersion(true).withSettings(Map.of("azureResourceId", m.id(), "vNextEnabled", "true"))
                            .withProtectedSettings(Map.of("defenderForEndpointOnboardingScript", pkg.get(windows ? "windows" : "linux"))));
            return "Succeeded".equalsIgnoreCase(done.provisioningState()) ? null : m.name() + ": " + done.provisioningState();
        }
        var resources = azure.genericResources().manager().serviceClient().getResources();
        // The generic client puts the ID after the endpoint's own slash: without its leading one (or the URL loses "subscriptions").
        GenericResourceInner machine = resources.getById(m.id().substring(1), ARC_API);
        JsonNode props = JSON.valueToTree(machine.properties());
        boolean windows = props.path("osType").asText("windows").equalsIgnoreCase("windows");
        String ext = windows ? "MDE.Windows" : "MDE.Linux";
        Map<String, Object> extProps = Map.of("publisher", "Microsoft.Azure.AzureDefenderForServers", "type", ext, "typeHandlerVersion", "1.0",
                "autoUpgradeMinorVersion", true, "settings", Map.of("azureResourceId", m.id(), "vNextEnabled", true),
                "protectedSettings", Map.of("defenderForEndpointOnboardingScript", pkg.get(windows ? "windows" : "linux")));
        GenericResourceInner done = resources.createOrUpdateById(m.id().substring(1) + "/extensions/" + ext, ARC_API,
                new GenericResourceInner().withLocation(machine.location()).withProperties(extProps));
        String state = JSON.valueToTree(done.properties()).path("provisioningState").asText();
        return "Succeeded".equalsIgnoreCase(state) ? null : m.name() + ": " + state;
    }

    /**
     * {@code GET .../providers/Microsoft.Security/mdeOnboardings} (the script's {@code armclient GET}, here through the
     * SDK's pipeline): both OSes' packages.
     */
    private Map<String, String> onboardingPackage(AzureResourceManager azure, String subscriptionId) {
        JsonNode p = get(azure.genericResources().manager().httpPipeline(), "/subscriptions/" + subscriptionId
                + "/providers/Microsoft.Security/mdeOnboardings?api-version=" + MDE_API).path("value").path(0).path("properties");
        return Map.of("windows", p.path("onboardingPackageWindows").asText(), "linux", p.path("onboardingPackageLinux").asText());
    }

    /**
     * The scripted status loop of scenario 2: list the subscriptions; per subscription list its VMs and Arc machines,
     * read the plan and the integration settings; then read each machine (its MDE extension comes with it). Returns the
     * machines read.
     */
    long statusSweep(int parallel) throws Exception {
        List<String> subs = new ArrayList<>();
        azure(MachineMix.subscriptionId(0)).subscriptions().list().forEach(s -> subs.add(s.subscriptionId()));
        AtomicLong machines = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> done = new ArrayList<>();
        for (String sub : subs) {
            done.add(pool.submit(() -> {
                AzureResourceManager azure = azure(sub);
                var resources = azure.genericResources().manager().serviceClient().getResources();
                resources.getById("subscriptions/" + sub + "/providers/Microsoft.Security/pricings/VirtualMachines", PRICING_API);
                HttpPipeline pipeline = azure.genericResources().manager().httpPipeline();
                list(pipeline, "/subscriptions/" + sub + "/providers/Microsoft.Security/settings?api-version=" + SETTINGS_API);
                for (VirtualMachine vm : azure.virtualMachines().list()) {
                    azure.virtualMachines().getById(vm.id());
                    machines.incrementAndGet();
                }
                for (String arc : list(pipeline, "/subscriptions/" + sub + "/providers/Microsoft.HybridCompute/machines?api-version=" + ARC_API)) {
                    resources.getById(arc.substring(1), ARC_API);
                    machines.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return machines.get();
    }

    /** A raw list through the SDK's pipeline, following nextLink: the IDs of its items. */
    private List<String> list(HttpPipeline pipeline, String pathAndQuery) {
        List<String> ids = new ArrayList<>();
        String url = baseUrl + pathAndQuery;
        while (url != null) {
            JsonNode page = getUrl(pipeline, url);
            page.path("value").forEach(v -> ids.add(v.path("id").asText()));
            url = page.hasNonNull("nextLink") ? page.path("nextLink").asText() : null;
        }
        return ids;
    }

    private JsonNode get(HttpPipeline pipeline, String pathAndQuery) {
        return getUrl(pipeline, baseUrl + pathAndQuery);
    }

    private static JsonNode getUrl(HttpPipeline pipeline, String url) {
        try (HttpResponse r = pipeline.sendSync(new HttpRequest(HttpMethod.GET, url), com.azure.core.util.Context.NONE)) {
            if (r.getStatusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + r.getStatusCode() + ": " + r.getBodyAsBinaryData());
            }
            return JSON.readTree(r.getBodyAsBinaryData().toBytes());
        } catch (IOException e) {
            throw Bench.io(e);
        }
    }
}
