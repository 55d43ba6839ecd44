package com.mdeonboarding.storage;

import com.azure.core.credential.TokenCredential;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableServiceException;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.mdeonboarding.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Queue and table clients for our own Storage data, from a connection string (local, Azurite) or
 * service URIs plus a managed identity (Azure, no shared keys). Queues and tables are created once
 * per process on first use.
 */
public final class StorageClients {
    private final QueueServiceClient queues;
    private final TableServiceClient tables;
    private final Map<String, QueueClient> queueCache = new ConcurrentHashMap<>();
    private final Map<String, TableClient> tableCache = new ConcurrentHashMap<>();

    /**
     * Tries per Storage request and how long each may take. The SDKs' defaults (4 tries, 4 s doubling back-off, no
     * per-try limit) made one unreachable account cost 46 s per call; callers that must answer (the CLI, the HTTP
     * API) cannot wait that long, and a job that fails is retried by the queue anyway.
     */
    static final int TRIES = 3;
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

    private final Settings.StorageSettings storage;

    public StorageClients(Settings.StorageSettings storage, Supplier<TokenCredential> credential) {
        this.storage = storage;
        HttpClientOptions http = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT).setResponseTimeout(TRY_TIMEOUT);
        QueueServiceClientBuilder qb = new QueueServiceClientBuilder()
                // host.json sets messageEncoding base64: the Functions host decodes what we write.
                .messageEncoding(QueueMessageEncoding.BASE64)
                .clientOptions(http)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, TRIES, TRY_TIMEOUT, FIRST_RETRY_DELAY,
                        MAX_RETRY_DELAY, null));
        TableServiceClientBuilder tb = new TableServiceClientBuilder()
                .clientOptions(http)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(TRIES - 1).setBaseDelay(FIRST_RETRY_DELAY)
                        .setMaxDelay(MAX_RETRY_DELAY)));
        if (storage.isNone()) {
            // A preview without Storage: an in-process account that is empty and refuses writes (EmptyAccount).
            com.azure.core.credential.AzureNamedKeyCredential key = new com.azure.core.credential.AzureNamedKeyCredential("preview",
                    java.util.Base64.getEncoder().encodeToString(new byte[32]));
            EmptyAccount empty = new EmptyAccount();
            qb.endpoint(EmptyAccount.ENDPOINT).credential(new com.azure.storage.common.StorageSharedKeyCredential("preview",
                    java.util.Base64.getEncoder().encodeToString(new byte[32]))).httpClient(empty);
            tb.endpoint(EmptyAccount.ENDPOINT).credential(key).httpClient(empty);
        } else if (storage.connectionString().isPresent()) {
            String cs = expandDevelopmentStorage(storage.connectionString().get());
            qb.connectionString(cs);
            tb.connectionString(cs);
        } else {
            TokenCredential c = credential.get();
            qb.endpoint(storage.queueServiceUri().orElseThrow()).credential(c);
            tb.endpoint(storage.tableServiceUri().orElseThrow()).credential(c);
        }
        this.queues = qb.buildClient();
        this.tables = tb.buildClient();
    }

    /** The Functions host understands the shorthand; the table SDK wants explicit endpoints. */
    static String expandDevelopmentStorage(String cs) {
        if (!cs.trim().equalsIgnoreCase("UseDevelopmentStorage=true")) {
            return cs;
        }
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
                + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
    }

    public QueueClient queue(String name) {
        return queueCache.computeIfAbsent(name, n -> {
            QueueClient q = queues.getQueueClient(n);
            try {
                q.createIfNotExists();
            } catch (QueueStorageException e) {
                if (e.getStatusCode() != 409) {
                    throw unavailable("creating the queue '" + n + "'", storage.queueEndpoint(), e);
                }
            } catch (RuntimeException e) {
                throw unavailable("creating the queue '" + n + "'", storage.queueEndpoint(), e);
            }
            return q;
        });
    }

    public TableClient table(String name) {
        return tableCache.computeIfAbsent(name, n -> {
            try {
                tables.createTableIfNotExists(n);
            } catch (TableServiceException e) {
                if (e.getResponse().getStatusCode() != 409) {
                    throw unavailable("creating the table '" + n + "'", storage.tableEndpoint(), e);
                }
            } catch (RuntimeException e) {
                throw unavailable("creating the table '" + n + "'", storage.tableEndpoint(), e);
            }
            return tables.getTableClient(n);
        });
    }

    /** The failure in an operator's words: what we did, where (from which setting), why, and what to check. */
    StorageUnavailableException unavailable(String what, String endpoint, RuntimeException e) {
        return new StorageUnavailableException(what + " at " + endpoint + " (" + storage.source() + ") failed: " + StorageFailures.why(e)
                + ". " + StorageFailures.advice(e, storage.connectionString().isPresent()), e);
    }
}
