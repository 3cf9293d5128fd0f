package org.opinionwatch.ingest.push;

/**
 * Where and how the push endpoint listens.
 *
 * @param host the address to bind ("127.0.0.1" to accept local clients only, "0.0.0.0" for all interfaces)
 * @param port the port, 0 for a free one (see {@link PushEndpoint#port()})
 * @param path the one path that accepts posts, e.g. "/v1/posts"
 * @param token the bearer token clients must present
 * @param maxBodyBytes the largest request body accepted, in bytes
 * @param maxBatch the most posts accepted in one request
 */
public record PushSettings(String host, int port, String path, String token, int maxBodyBytes, int maxBatch) {
    public PushSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, not " + path);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token is required");
        }
        // Below Integer.MAX_VALUE: the endpoint reads one byte past the limit to tell "at the limit" from "over it".
        if (maxBodyBytes <= 0 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be positive and below 2 GiB, not " + maxBodyBytes);
        }
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("maxBatch must be positive, not " + maxBatch);
        }
    }

    /** Without the token: settings end up in logs and error messages, a secret must not. */
    @Override
    public String toString() {
        return "PushSettings[host=" + host + ", port=" + port + ", path=" + path + ", token=***, maxBodyBytes="
                + maxBodyBytes + ", maxBatch=" + maxBatch + "]";
    }
}
