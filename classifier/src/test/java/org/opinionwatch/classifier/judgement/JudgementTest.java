package org.opinionwatch.classifier.judgement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;

class JudgementTest {
    static final Instant AT = Instant.parse("2024-06-03T02:00:00Z");

    static Action set(Level level) {
        return new Action(null, "inc-1", Action.Kind.SET_LEVEL, null, level, null, null, "王主任", "涉及学生安全", AT);
    }

    @Test
    void withoutJudgementTheAutomaticLevelIsTheIncidents() {
        for (Level l : Level.values()) {
            assertEquals(l, Judgement.NONE.effective(l));
        }
    }

    @Test
    void aLevelSetByPeopleIsNotLoweredByTheAutomaticOneUntilItIsCleared() {
        Judgement raised = Judgement.NONE.after(set(Level.MAJOR), Level.GENERAL);
        assertEquals(Level.MAJOR, raised.effective(Level.GENERAL));
        assertEquals(Level.MAJOR, raised.effective(Level.MINOR), "the automatic level falls: people's level holds");
        assertEquals(Level.MAJOR, raised.effective(Level.NONE), "it does not even subside on its own");
        assertEquals(Level.CRITICAL, raised.effective(Level.CRITICAL), "a rise above it is news people have not judged");
        Judgement cleared = raised.after(Action.of("inc-1", Action.Kind.CLEAR_LEVEL, "王主任", "", AT), Level.MINOR);
        assertEquals(Level.MINOR, cleared.effective(Level.MINOR));
        assertTrue(cleared.isEmpty());
        assertEquals("people's judgement (clear-level by 王主任)", cleared.why());
    }

    @Test
    void aLevelLoweredByPeopleHoldsUntilTheAutomaticLevelRisesAgain() {
        Judgement lowered = Judgement.NONE.after(set(Level.GENERAL), Level.MAJOR);
        assertEquals(Level.GENERAL, lowered.effective(Level.MAJOR), "people judged the MAJOR counts: GENERAL");
        assertEquals(Level.CRITICAL, lowered.effective(Level.CRITICAL));
        assertEquals("people's judgement (set-level GENERAL by 王主任): 涉及学生安全", lowered.why());
    }

    @Test
    void aDismissedIncidentStaysAtNone() {
        Judgement dismissed = Judgement.NONE.after(Action.of("inc-1", Action.Kind.DISMISS, "李老师", "与本校无关", AT), Level.MAJOR);
        for (Level l : Level.values()) {
            assertEquals(Level.NONE, dismissed.effective(l));
        }
        assertEquals("people's judgement (dismiss by 李老师): 与本校无关", dismissed.why());
    }
}
