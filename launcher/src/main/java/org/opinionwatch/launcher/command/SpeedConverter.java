package org.opinionwatch.launcher.command;

import org.opinionwatch.launcher.replay.Speed;
import picocli.CommandLine;

final class SpeedConverter implements CommandLine.ITypeConverter<Speed> {
    @Override
    public Speed convert(String value) {
        try {
            return Speed.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
