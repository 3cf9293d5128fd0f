package org.opinionwatch.escalation.actions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.SetSilence;
import org.opinionwatch.escalation.topology.EscalationTopology;

/**
 * The cases of the running escalation stage, by interactive queries of its stores: the state that applies the
 * actions. With several instances, an incident held by another is {@link Cases.Elsewhere} (the endpoint redirects
 * there); that needs each instance started with {@code application.server} = its actions endpoint's
 * {@code host:port}, given here as {@code self}. Without it, a single instance answers from its own stores.
 */
public final class StreamsCases implements Cases {
    private final KafkaStreams streams;
    private final int partitions;
    private final HostInfo self;

    /**
     * @param partitions the partitions of the stage's input topics ({@code kafka.partitions})
     * @param self this instance's {@code application.server}, or null when it has none
     */
    public StreamsCases(KafkaStreams streams, int partitions, String self) {
        this.streams = streams;
        this.partitions = partitions;
        this.self = self == null ? null : HostInfo.buildFromEndpoint(self);
    }

    @Override
    public Optional<Case> find(String incidentId) {
        running();
        if (self != null) {
            KeyQueryMetadata where = streams.queryMetadataForKey(EscalationTopology.INCIDENT_STORE, incidentId, Serdes.String().serializer());
            if (where != null && where != KeyQueryMetadata.NOT_AVAILABLE && !where.activeHost().equals(self)) {
                throw new Elsewhere(where.activeHost().host() + ":" + where.activeHost().port());
            }
        }
        int partition = IncidentPartitions.of(incidentId, partitions);
        try {
            // The incident's own partition: a store of this instance that does not hold it must not answer "unknown".
            ReadOnlyKeyValueStore<String, Case> store = streams.store(StoreQueryParameters.fromNameAndType(EscalationTopology.INCIDENT_STORE,
                    QueryableStoreTypes.<String, Case>keyValueStore()).withPartition(partition));
            return Optional.ofNullable(store.get(incidentId));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("partition " + partition + " of the incident is not held here (" + e.getMessage() + ")");
        }
    }

    /** Every task holds every silence: those of this instance's tasks, once each. */
    @Override
    public List<Action.Silence> silences() {
        running();
        Map<String, Action.Silence> all = new LinkedHashMap<>();
        try {
            ReadOnlyKeyValueStore<String, SetSilence> store = streams.store(StoreQueryParameters.fromNameAndType(
                    EscalationTopology.SILENCE_STORE, QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, SetSilence> it = store.all()) {
                it.forEachRemaining(kv -> all.putIfAbsent(kv.key, kv.value.silence()));
            }
        } catch (InvalidStateStoreException e) {
            throw new Unavailable(e.getMessage());
        }
        return List.copyOf(all.values());
    }

    private void running() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new Unavailable("the stage is " + streams.state().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
