package org.opinionwatch.ingest.poll;

import java.net.URI;
import org.opinionwatch.ingest.fetch.FetchException;
import org.opinionwatch.ingest.fetch.FetchResult;

/** Where a poll's pages come from: the HTTP fetcher (polite per host, obeying robots.txt), or a saved page. */
@FunctionalInterface
public interface PageFetch {
    FetchResult fetch(URI uri) throws FetchException, InterruptedException;
}
