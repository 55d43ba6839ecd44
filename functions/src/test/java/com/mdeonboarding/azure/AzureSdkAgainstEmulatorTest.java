package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpPipeline;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineExtensionInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.InstanceViewTypes;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.config.SettingsException;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Reach;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real azure-resourcemanager-compute client (test scope only: it checks the emulator answers as the SDK expects)
 * and our own typed calls, through our pipeline (bearer token, retry honouring Retry-After, TLS trusting only the
 * configured extra CA), over HTTPS to the emulator.
 */
class AzureSdkAgainstEmulatorTest {
    static final String SUB = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
    static ArmEmulator emulator;
    static HttpPipeline pipeline;
    static CallCounter counter = new CallCounter();
    static Settings settings;

    @BeforeAll
    static void start() {
        Tenant tenant = new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                new com.mdeonboarding.emulator.tenant.SubscriptionSpec(SUB, null, null, null,
                        com.mdeonboarding.emulator.tenant.PricingSpec.standard("P2"), null, Map.of("WDATP", true), null, null)), Map.of());
        emulator = ArmEmulator.builder().tenant(tenant).port(0).extensionProvisioningDelay(Duration.ofMillis(200))
                .lroRetryAfterSeconds(0).build().start();
        settings = Settings.from(Map.of(Settings.STORAGE, "UseDevelopmentStorage=true",
                Settings.ARM_ENDPOINT, emulator.baseUrl(), Settings.ARM_CA_CERT, emulator.caCertificatePemPath().toString()));
        pipeline = ArmPipelineFactory.build(settings, ArmPipelineFactory.credential(settings), counter);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static ComputeManager compute() {
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", settings.resourceManagerUrl() + "/");
        return ComputeManager.authenticate(pipeline, new AzureProfile(null, SUB, new AzureEnvironment(endpoints)));
    }

    @Test
    void realComputeClientGetsAVmWithInstanceViewAndPutsAnExtensionPollingToSucceeded() {
        String id = emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).name("sdk-vm").build());
        MachineId m = MachineId.parse(id);
        VirtualMachineInner vm = compute().serviceClient().getVirtualMachines()
                .getByResourceGroupWithResponse(m.resourceGroup(), m.name(), InstanceViewTypes.INSTANCE_VIEW, com.azure.core.util.Context.NONE)
                .getValue();
        assertEquals("Windows Server 2022 Datacenter", vm.instanceView().osName());
        assertTrue(vm.instanceView().statuses().stream().anyMatch(s -> "PowerState/running".equals(s.code())));

        VirtualMachineExtensionInner done = compute().serviceClient().getVirtualMachineExtensions().createOrUpdate(m.resourceGroup(), m.name(),
                "CustomScript", new VirtualMachineExtensionInner().withLocation("westeurope").withPublisher("Microsoft.Compute")
                        .withTypePropertiesType("CustomScriptExtension").withTypeHandlerVersion("1.10"));
        assertEquals("Succeeded", done.provisioningState());
        assertTrue(emulator.requestLog().count("LongRunningOperation_Status") >= 1, "the SDK polled Azure-AsyncOperation");
    }

    @Test
    void sdkSurfacesAFailedExtensionWithItsStatus() {
        String id = emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).name("sdk-fail")
                .extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/51",
                        "Onboarding to MDE via Microsoft Defender for Cloud for this operating system is not supported")).build());
        MachineId m = MachineId.parse(id);
        RuntimeException e = assertThrows(RuntimeException.class, () -> compute().serviceClient().getVirtualMachineExtensions()
                .createOrUpdate(m.resourceGroup(), m.name(), "MDE.Windows", new VirtualMachineExtensionInner().withLocation("westeurope")
                        .withPublisher("Microsoft.Azure.AzureDefenderForServers").withTypePropertiesType("MDE.Windows").withTypeHandlerVersion("1.0")));
        assertNotNull(e.getMessage());
    }

    @Test
    void throttledCallIsRetriedAfterRetryAfterAndTheRetryIsInTheRequestLog() {
        String id = emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).name("sdk-429").build());
        emulator.faults().add(FaultRule.forOperation("VirtualMachines_Get").status(429).retryAfterSeconds(1).times(1));
        Instant t0 = Instant.now();
        long throttledBefore = counter.throttled();
        new Machines(new ArmClient(pipeline, settings.resourceManagerUrl())).read(MachineId.parse(id)).orElseThrow();
        Duration took = Duration.between(t0, Instant.now());
        RequestLog log = emulator.requestLog();
        assertEquals(1, log.count("VirtualMachines_Get", 429));
        assertTrue(log.count("VirtualMachines_Get", 200) >= 1);
        assertEquals(throttledBefore + 1, counter.throttled());
        assertTrue(took.toMillis() >= 900, "no retry before Retry-After: took " + took.toMillis() + " ms");
    }

    @Test
    void typedCallsForSecurityAndHybridComputeRoundTrip() {
        ArmClient arm = new ArmClient(pipeline, settings.resourceManagerUrl());
        DefenderForCloud defender = new DefenderForCloud(arm, Clock.systemUTC());
        var p = defender.posture(SUB);
        assertTrue(p.standard());
        assertEquals("P2", p.plan().subPlan().orElseThrow());
        assertTrue(p.satisfied(IntegrationSetting.WDATP));
        OnboardingPackage pkg = defender.onboardingPackages(SUB).forOs(OsType.WINDOWS);
        assertEquals(emulator.state().onboardingPackageWindowsBase64(), pkg.reveal());
        assertEquals("OnboardingPackage[redacted]", pkg.toString());

        String arc = emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB).name("typed-arc").build());
        MachineFacts facts = new Machines(arm).read(MachineId.parse(arc)).orElseThrow();
        assertEquals("Connected", ((Reach.Arc) facts.reach()).status().orElseThrow());
        assertTrue(facts.mdeExtension().isEmpty());
    }

    @Test
    void theDevelopmentTokenIsRefusedForANonLoopbackEndpoint() {
        Settings remote = Settings.from(Map.of(Settings.STORAGE, "UseDevelopmentStorage=true", Settings.ARM_ENDPOINT, "https://management.azure.com"));
        assertThrows(com.mdeonboarding.config.SettingsException.class,
                () -> ArmPipelineFactory.build(remote, new DevelopmentCredential(), new CallCounter()));
    }

    @Test
    void anUntrustedCertificateIsRefused() {
        Settings noCa = Settings.from(Map.of(Settings.STORAGE, "UseDevelopmentStorage=true", Settings.ARM_ENDPOINT, emulator.baseUrl()));
        ArmClient arm = new ArmClient(ArmPipelineFactory.build(noCa, ArmPipelineFactory.credential(noCa), new CallCounter()), emulator.baseUrl());
        assertThrows(RuntimeException.class, () -> arm.get("/subscriptions", ApiVersions.SUBSCRIPTIONS));
    }
}
