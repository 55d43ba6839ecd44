package com.mdeonboarding.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/** {@code GET /api/openapi.json}: the OpenAPI 3.0 document of these routes (a resource, kept in sync by a test). */
public final class OpenApiEndpoint extends Endpoint {
    public static final String RESOURCE = "/openapi/openapi.json";
    private static volatile String document;

    @Override
    protected String method() {
        return "GET";
    }

    @Override
    protected String name() {
        return "GET /api/openapi.json";
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request);
        return ApiResponse.json(200, document());
    }

    /** The document with {@code info.version} set to this build's version (AppVersion), so a client can tell what runs. */
    static String withVersion(String json) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
            ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("info")).put("version", com.mdeonboarding.config.AppVersion.get());
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String document() {
        if (document == null) {
            try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
                }
                document = withVersion(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document;
    }
}
