package com.mdeonboarding.jobs;

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
import com.mdeonboarding.config.Settings;
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

    public StorageClients(Settings.StorageSettings storage, Supplier<TokenCredential> credential) {
        QueueServiceClientBuilder qb = new QueueServiceClientBuilder()
                // host.json sets messageEncoding base64: the Functions host decodes what we write.
                .messageEncoding(QueueMessageEncoding.BASE64);
        TableServiceClientBuilder tb = new TableServiceClientBuilder();
        if (storage.connectionString().isPresent()) {
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
                    throw e;
                }
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
                    throw e;
                }
            }
            return tables.getTableClient(n);
        });
    }
}
