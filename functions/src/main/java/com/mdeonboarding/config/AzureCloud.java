package com.mdeonboarding.config;

import com.azure.core.management.AzureEnvironment;

/** The Azure clouds we can run in; the names are the ones the Azure CLI uses. */
public enum AzureCloud {
    AzureCloud(AzureEnvironment.AZURE),
    AzureUSGovernment(AzureEnvironment.AZURE_US_GOVERNMENT),
    AzureChinaCloud(AzureEnvironment.AZURE_CHINA);

    private final AzureEnvironment environment;

    AzureCloud(AzureEnvironment environment) {
        this.environment = environment;
    }

    public AzureEnvironment environment() {
        return environment;
    }
}
