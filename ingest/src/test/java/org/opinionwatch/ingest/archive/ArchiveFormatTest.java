package org.opinionwatch.ingest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArchiveFormatTest {
    @Test
    void parsesTheCommandLineNames() {
        assertEquals(ArchiveFormat.JSONL, ArchiveFormat.parse("jsonl"));
        assertEquals(ArchiveFormat.WEIBO_CED, ArchiveFormat.parse("weibo-ced"));
        assertEquals(ArchiveFormat.WEIBO_CED, ArchiveFormat.parse(" Weibo-CED "));
    }

    @Test
    void anUnknownNameListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchiveFormat.parse("csv"));
        assertEquals("unknown archive format \"csv\"; choose one of: jsonl, weibo-ced", e.getMessage());
    }
}
