package org.opinionwatch.launcher.command;

import org.opinionwatch.ingest.archive.ArchiveFormat;
import picocli.CommandLine.ITypeConverter;

final class FormatConverter implements ITypeConverter<ArchiveFormat> {
    @Override
    public ArchiveFormat convert(String value) {
        return ArchiveFormat.parse(value);
    }
}
