package org.opinionwatch.contract.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void shortTextIsKept() {
        String text = "食堂饭菜有异物";
        assertSame(text, Limits.truncate(text, 7));
        assertNull(Limits.truncate(null, 7));
    }

    @Test
    void longTextIsCutWithTheMarkerWithinTheLimit() {
        assertEquals("食堂饭…", Limits.truncate("食堂饭菜有异物", 4));
        assertEquals(4, Limits.truncate("abcdefgh", 4).length());
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String text = "ab\uD83D\uDE00cd"; // an emoji is two chars
        assertEquals("ab…", Limits.truncate(text, 4), "the emoji would be cut in two: it goes whole");
    }
}
