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

    public static String document() {
        if (document == null) {
            try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
                }
                document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document;
    }
}
