package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlainTextTest {
    @Test
    void aRunOfSpacesIsOneSpaceAlsoAcrossATagThatIsGone() {
        // a phpBB smiley between two words, as the Debian User Forums write it
        assertEquals("I have hope Or better to modify apt.",
                PlainText.fromHtml("I have hope <img class=\"smilies\" src=\"./images/smilies/icon_smile.gif\" alt=\":)\"> Or better to modify apt."));
        assertEquals("a b", PlainText.fromHtml("a <b> b</b>"));
    }

    @Test
    void theAuthorsLinesAreKept() {
        assertEquals("one\n\ntwo\nthree", PlainText.fromHtml("one<br><br> two<br>three"));
    }
}
