package org.opinionwatch.escalation.actions;

import java.util.List;
import java.util.Optional;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.escalation.plan.Case;

/**
 * The cases and silences as the escalation stage holds them, for checking an action before it is recorded: an
 * unknown incident, a duty that is not open, a silence that does not exist are refused with the reason and nothing
 * is written.
 */
public interface Cases {
    /** The incident's case; empty if the escalation stage has none (it never heard of the incident). */
    Optional<Case> find(String incidentId);

    /** Every silence the stage holds, expired ones too until the stage drops them. */
    List<Action.Silence> silences();

    /** Thrown when the stage cannot answer now (starting, rebalancing, restoring): try again. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The key is held by another instance of the stage; {@code host:port} is its endpoint. */
    final class Elsewhere extends RuntimeException {
        private final String hostAndPort;

        public Elsewhere(String hostAndPort) {
            super("held by " + hostAndPort);
            this.hostAndPort = hostAndPort;
        }

        public String hostAndPort() {
            return hostAndPort;
        }
    }
}
